-- COMMENT ... IS without a string: error at the end of input.
-- expect: error 4:22
-- server: 42601 syntax error at end of input
COMMENT ON TABLE t IS
