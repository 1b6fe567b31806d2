-- An extra closing parenthesis in a CHECK.
-- expect: error 4:39
-- server: 42601 syntax error at or near ")"
CREATE TABLE t (a int CHECK ((a > 0))));
