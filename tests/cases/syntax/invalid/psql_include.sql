-- A psql meta-command \i: the server sees a backslash.
-- expect: error 5:1
-- server: 42601 syntax error at or near "\"
CREATE TABLE t (id int);
\i other.sql
CREATE TABLE u (id int);
