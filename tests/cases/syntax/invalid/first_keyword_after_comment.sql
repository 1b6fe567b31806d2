-- A misspelled first keyword after a comment header.
-- expect: error 4:1
-- server: 42601 syntax error at or near "CRATE"
CRATE TABLE t (id int);
