-- PostgreSQL 17: SET ACCESS METHOD DEFAULT.
-- expect: ok
-- since: 17
-- pg15: error 5:38 42601 syntax error at or near "DEFAULT"
ALTER TABLE orders SET ACCESS METHOD DEFAULT;
