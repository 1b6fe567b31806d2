-- PostgreSQL 18: ALTER CONSTRAINT ... NOT ENFORCED.
-- expect: ok
-- since: 18
-- pg15: error 5:53 42601 syntax error at or near "ENFORCED"
ALTER TABLE loose ALTER CONSTRAINT loose_b_fkey NOT ENFORCED;
