CREATE TABLE sale (
    id integer PRIMARY KEY,
    day date NOT NULL,
    shop text NOT NULL,
    amount integer NOT NULL
);
