-- A SQL-standard RETURN body.
-- expect: ok
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN a + b;
