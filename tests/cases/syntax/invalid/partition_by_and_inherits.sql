-- PARTITION BY before INHERITS.
-- expect: error 4:47
-- server: 42601 syntax error at or near "INHERITS"
CREATE TABLE t (a int) PARTITION BY RANGE (a) INHERITS (p);
