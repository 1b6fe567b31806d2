-- NO INHERITS instead of NO INHERIT.
-- expect: error 4:40
-- server: 42601 syntax error at or near "INHERITS"
CREATE TABLE t (a int CHECK (a > 0) NO INHERITS);
