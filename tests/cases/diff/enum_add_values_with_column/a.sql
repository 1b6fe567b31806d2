CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE task (
    id integer PRIMARY KEY,
    priority priority NOT NULL DEFAULT 'low'
);
