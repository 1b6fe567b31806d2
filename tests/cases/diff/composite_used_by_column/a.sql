CREATE TYPE pair AS (a integer, b integer);
CREATE TABLE pairs (
    id integer PRIMARY KEY,
    p pair
);
