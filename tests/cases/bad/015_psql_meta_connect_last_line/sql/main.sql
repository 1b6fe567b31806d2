CREATE TABLE t (id int);
\connect other
