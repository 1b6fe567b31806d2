CREATE TABLE invoice (
    id integer PRIMARY KEY,
    amount bigint NOT NULL,
    code varchar(40),
    ratio double precision
);
