-- WITH OIDS is gone since PostgreSQL 12.
-- expect: error 4:29
-- server: 42601 syntax error at or near "OIDS"
CREATE TABLE t (a int) WITH OIDS;
