-- PostgreSQL 16: STORAGE in CREATE TABLE.
-- expect: ok
-- since: 16
-- pg15: error 5:32 42601 syntax error at or near "STORAGE"
CREATE TABLE stored (body text STORAGE EXTERNAL);
