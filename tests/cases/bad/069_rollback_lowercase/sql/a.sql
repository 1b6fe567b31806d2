CREATE TABLE t (id int);
rollback;
