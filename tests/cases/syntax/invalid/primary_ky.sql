-- PRIMARY KY.
-- expect: error 4:32
-- server: 42601 syntax error at or near "KY"
CREATE TABLE t (id int PRIMARY KY);
