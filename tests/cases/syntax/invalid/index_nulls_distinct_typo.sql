-- NULLS NOT DISTINCTS.
-- expect: error 4:42
-- server: 42601 syntax error at or near "DISTINCTS"
CREATE UNIQUE INDEX i ON t (a) NULLS NOT DISTINCTS;
