-- COMMENT ON TABLE without IS.
-- expect: error 4:20
-- server: 42601 syntax error at or near "'text'"
COMMENT ON TABLE t 'text';
