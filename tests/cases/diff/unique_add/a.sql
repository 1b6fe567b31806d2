CREATE TABLE login (
    id integer PRIMARY KEY,
    email text,
    provider text,
    subject text
);
