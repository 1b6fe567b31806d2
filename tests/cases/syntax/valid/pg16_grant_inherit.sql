-- PostgreSQL 16: GRANT role ... WITH INHERIT, SET.
-- expect: ok
-- since: 16
-- pg15: error 5:31 42601 syntax error at or near "INHERIT"
GRANT app_admin TO alice WITH INHERIT FALSE, SET TRUE;
