CREATE TABLE profile (
    id integer PRIMARY KEY,
    full_name text
);
