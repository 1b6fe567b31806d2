-- PostgreSQL 18: a VIRTUAL generated column.
-- expect: ok
-- since: 18
-- pg15: error 5:62 42601 syntax error at or near "VIRTUAL"
CREATE TABLE v_gen (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);
