CREATE SCHEMA archive;
CREATE TABLE ledger_entry (
    id integer PRIMARY KEY,
    amount integer NOT NULL
);
