CREATE TYPE priority AS ENUM ('lowest', 'low', 'medium', 'high', 'highest');
CREATE TABLE task (
    id integer PRIMARY KEY,
    priority priority NOT NULL DEFAULT 'low'
);
