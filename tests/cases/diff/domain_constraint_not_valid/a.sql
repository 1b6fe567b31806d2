CREATE DOMAIN qty AS integer;
CREATE TABLE stock (
    id integer PRIMARY KEY,
    amount qty
);
