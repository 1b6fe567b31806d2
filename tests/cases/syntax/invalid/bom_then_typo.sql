CREAT TABLE t (id int);
-- A BOM is not a column: the misspelled first keyword is at 1:1.
-- expect: error 1:1
-- server: 42601 syntax error at or near "CREAT"
