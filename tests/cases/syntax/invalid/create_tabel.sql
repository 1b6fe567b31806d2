-- CREATE TABEL.
-- expect: error 4:8
-- server: 42601 syntax error at or near "TABEL"
CREATE TABEL t (id int);
