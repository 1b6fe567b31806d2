-- FOR VALUES IN without parentheses.
-- expect: error 4:47
-- server: 42601 syntax error at or near "'a'"
CREATE TABLE t_a PARTITION OF t FOR VALUES IN 'a';
