-- A zero-length quoted identifier.
-- expect: error 4:14
-- server: 42601 zero-length delimited identifier at or near """"
CREATE TABLE "" (id int);
