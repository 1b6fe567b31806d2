CREATE TABLE t (id int);
/* a comment that never ends
CREATE TABLE u (id int);
