CREATE TABLE t (id int);
SET ROLE anon;
