CREATE DOMAIN short_text AS varchar(10);
CREATE TABLE label (
    id integer PRIMARY KEY,
    name short_text NOT NULL
);
