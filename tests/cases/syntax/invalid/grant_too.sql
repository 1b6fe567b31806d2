-- GRANT ... TOO.
-- expect: error 4:19
-- server: 42601 syntax error at or near "TOO"
GRANT SELECT ON t TOO r;
