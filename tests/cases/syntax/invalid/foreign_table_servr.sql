-- SERVR in a foreign table.
-- expect: error 4:34
-- server: 42601 syntax error at or near "SERVR"
CREATE FOREIGN TABLE ft (id int) SERVR srv;
