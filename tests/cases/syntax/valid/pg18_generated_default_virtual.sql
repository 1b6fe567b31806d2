-- PostgreSQL 18: a generated column without STORED/VIRTUAL (virtual by default).
-- expect: ok
-- since: 18
-- pg15: error 5:62 42601 syntax error at or near ")"
CREATE TABLE v_gen2 (a int, b int GENERATED ALWAYS AS (a + 1));
