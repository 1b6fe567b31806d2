-- After a BOM the column of an error on the first line is counted without it.
-- expect: error 4:24
-- server: 42601 syntax error at or near "DEFAUL"
CREATE TABLE t (id int DEFAUL 0);
