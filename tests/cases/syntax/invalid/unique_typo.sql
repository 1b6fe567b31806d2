-- UNIQE as a column constraint.
-- expect: error 4:28
-- server: 42601 syntax error at or near "UNIQE"
CREATE TABLE t (email text UNIQE);
