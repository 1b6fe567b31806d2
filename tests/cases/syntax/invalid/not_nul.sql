-- NOT NUL.
-- expect: error 4:28
-- server: 42601 syntax error at or near "NUL"
CREATE TABLE t (id int NOT NUL);
