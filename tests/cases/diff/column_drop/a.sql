CREATE TABLE person (
    id integer PRIMARY KEY,
    name text NOT NULL,
    legacy_code text
);
