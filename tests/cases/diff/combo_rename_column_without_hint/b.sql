CREATE TABLE profile (
    id integer PRIMARY KEY,
    display_name text
);
