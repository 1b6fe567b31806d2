\connect appdb
CREATE TABLE t (id int);
-- A psql meta-command on the first line.
-- expect: error 1:1
-- server: 42601 syntax error at or near "\"
