-- STRICTT after the body.
-- expect: error 4:74
-- server: 42601 syntax error at or near "STRICTT"
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql IMMUTABLE STRICTT;
