-- json_object became a keyword in PostgreSQL 16: an unqualified function of that name is refused
-- by 18, accepted by 15.
-- expect: error 6:28
-- server: 42601 syntax error at or near "("
-- pg15: ok
CREATE FUNCTION json_object(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
