CREATE TABLE tag (
    id serial,
    name text
);
