CREATE DOMAIN pct AS numeric CONSTRAINT pct_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE score (
    id integer PRIMARY KEY,
    value pct
);
