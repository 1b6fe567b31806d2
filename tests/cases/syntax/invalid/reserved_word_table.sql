-- A reserved word as a table name.
-- expect: error 4:14
-- server: 42601 syntax error at or near "order"
CREATE TABLE order (id int);
