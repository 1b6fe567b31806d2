-- PARTITION BY RANGE without parentheses.
-- expect: error 4:43
-- server: 42601 syntax error at or near "a"
CREATE TABLE t (a int) PARTITION BY RANGE a;
