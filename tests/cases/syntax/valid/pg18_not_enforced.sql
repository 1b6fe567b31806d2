-- PostgreSQL 18: NOT ENFORCED check and foreign key constraints.
-- expect: ok
-- since: 18
-- pg15: error 5:45 42601 syntax error at or near "ENFORCED"
CREATE TABLE loose (a int CHECK (a > 0) NOT ENFORCED, b int REFERENCES accounts (id) NOT ENFORCED);
