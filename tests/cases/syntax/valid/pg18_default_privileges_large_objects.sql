-- PostgreSQL 18: default privileges on large objects.
-- expect: ok
-- since: 18
-- pg15: error 5:42 42601 syntax error at or near "LARGE"
ALTER DEFAULT PRIVILEGES GRANT SELECT ON LARGE OBJECTS TO PUBLIC;
