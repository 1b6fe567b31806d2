-- PostgreSQL 18: ADD CONSTRAINT ... NOT NULL ... NOT VALID.
-- expect: ok
-- since: 18
-- pg15: error 5:42 42601 syntax error at or near "NOT"
ALTER TABLE nn ADD CONSTRAINT b_not_null NOT NULL b NOT VALID;
