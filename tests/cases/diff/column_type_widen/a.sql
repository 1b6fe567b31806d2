CREATE TABLE invoice (
    id integer PRIMARY KEY,
    amount integer NOT NULL,
    code varchar(10),
    ratio real
);
