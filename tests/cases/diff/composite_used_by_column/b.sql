CREATE TYPE pair AS (a integer, b integer, c integer);
CREATE TABLE pairs (
    id integer PRIMARY KEY,
    p pair
);
