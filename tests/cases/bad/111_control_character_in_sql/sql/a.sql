CREATE TABLE t (id int);
[31mCREATE TABLE u (id int);
