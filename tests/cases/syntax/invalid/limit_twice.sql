-- LIMIT twice.
-- expect: error 4:34
-- server: 42601 syntax error at or near "LIMIT"
SELECT * FROM t LIMIT 1 OFFSET 1 LIMIT 2;
