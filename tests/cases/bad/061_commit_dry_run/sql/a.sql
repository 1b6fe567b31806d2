CREATE TABLE t (id int);

COMMIT;
