-- PostgreSQL 18: a named NOT NULL table constraint with NO INHERIT.
-- expect: ok
-- since: 18
-- pg15: error 5:47 42601 syntax error at or near "NOT"
CREATE TABLE nn (a int, CONSTRAINT a_not_null NOT NULL a NO INHERIT);
