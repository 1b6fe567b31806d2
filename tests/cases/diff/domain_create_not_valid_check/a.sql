CREATE TABLE stock (
    id integer PRIMARY KEY
);
