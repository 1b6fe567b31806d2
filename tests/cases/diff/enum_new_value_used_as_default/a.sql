CREATE TYPE ticket_state AS ENUM ('new', 'done');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'new'
);
