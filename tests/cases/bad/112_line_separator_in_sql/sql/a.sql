CREATE TABLE t (id int);
CREATE TABLE u (id int) ;
