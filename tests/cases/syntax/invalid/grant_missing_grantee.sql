-- GRANT without a grantee: error at the end of input.
-- expect: error 4:27
-- server: 42601 syntax error at end of input
GRANT SELECT ON TABLE t TO
