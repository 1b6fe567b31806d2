-- A generated column expression without parentheses.
-- expect: error 4:50
-- server: 42601 syntax error at or near "a"
CREATE TABLE t (a int, b int GENERATED ALWAYS AS a * 2 STORED);
