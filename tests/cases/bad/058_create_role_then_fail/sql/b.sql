CREATE TABLE t (id no_such_type);
