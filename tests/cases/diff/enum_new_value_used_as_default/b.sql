CREATE TYPE ticket_state AS ENUM ('new', 'active', 'done');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'active'
);
