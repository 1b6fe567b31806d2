\i tables.sql
CREATE TABLE t (id int);
