CREATE TABLE t (id int);
DROP TABLE no_such_table;
