CREATE TABLE t (id int);
CREATE TABLE u (s text DEFAULT 'abc);
