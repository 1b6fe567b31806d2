CREATE TABLE tag (
    id integer NOT NULL,
    name text
);
