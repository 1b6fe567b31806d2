CREATE TABLE region (
    id integer PRIMARY KEY,
    name text
);
