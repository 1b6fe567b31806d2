-- A missing closing parenthesis: the error is at the semicolon.
-- expect: error 4:34
-- server: 42601 syntax error at or near ";"
CREATE TABLE t (id int, name text;
