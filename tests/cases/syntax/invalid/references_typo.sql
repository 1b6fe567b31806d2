-- REFERENCS.
-- expect: error 4:26
-- server: 42601 syntax error at or near "REFERENCS"
CREATE TABLE t (a_id int REFERENCS a (id));
