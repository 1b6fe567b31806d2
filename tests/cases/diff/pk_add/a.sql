CREATE TABLE region (
    id integer NOT NULL,
    name text
);
