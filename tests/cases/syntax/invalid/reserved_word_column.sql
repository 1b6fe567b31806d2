-- A reserved word as a column name.
-- expect: error 4:25
-- server: 42601 syntax error at or near "user"
CREATE TABLE t (id int, user text);
