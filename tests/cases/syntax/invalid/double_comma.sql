-- CREATE TABLE t (id int,, x int) (issue 10).
-- expect: error 4:24
-- server: 42601 syntax error at or near ","
CREATE TABLE t (id int,, x int);
