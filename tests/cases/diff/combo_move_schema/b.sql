CREATE SCHEMA archive;
CREATE TABLE archive.ledger_entry (
    id integer PRIMARY KEY,
    amount integer NOT NULL
);
