CREATE DOMAIN pct AS numeric CONSTRAINT pct_range CHECK (VALUE >= 0 AND VALUE <= 1);
CREATE TABLE score (
    id integer PRIMARY KEY,
    value pct
);
