-- FORCE ROW LEVEL SECURTY.
-- expect: error 4:31
-- server: 42601 syntax error at or near "SECURTY"
ALTER TABLE t FORCE ROW LEVEL SECURTY;
