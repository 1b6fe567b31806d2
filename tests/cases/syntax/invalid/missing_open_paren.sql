-- A missing opening parenthesis.
-- expect: error 4:16
-- server: 42601 syntax error at or near "id"
CREATE TABLE t id int);
