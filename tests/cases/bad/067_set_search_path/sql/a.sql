SET search_path TO app, public;
CREATE TABLE t (id int);
