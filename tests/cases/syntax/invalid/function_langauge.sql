-- LANGAUGE.
-- expect: error 4:33
-- server: 42601 syntax error at or near "LANGAUGE"
CREATE FUNCTION f() RETURNS int LANGAUGE sql AS 'SELECT 1';
