-- An unclosed parameter list: RETURNS int reads as a parameter, the error is at LANGUAGE.
-- expect: error 4:32
-- server: 42601 syntax error at or near "LANGUAGE"
CREATE FUNCTION f( RETURNS int LANGUAGE sql AS 'SELECT 1';
