CREAT TABLE t (id int);
-- A misspelled first keyword: PostgreSQL points at 1:1 (issue 8).
-- expect: error 1:1
-- server: 42601 syntax error at or near "CREAT"
