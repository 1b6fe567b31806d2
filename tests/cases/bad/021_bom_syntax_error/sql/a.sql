CREAT TABLE t (id int);
