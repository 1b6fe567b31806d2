CREATE TABLE t (id int);
-- café
