-- An error inside a LANGUAGE sql $$ body: the raw grammar accepts the statement, the server
-- rejects it at CREATE time at this position.
-- expect: body-error 9:8
-- server: 42601 syntax error at or near "WHERE"
CREATE FUNCTION f() RETURNS int
LANGUAGE sql
AS $$
  SELECT 1
  FROM WHERE true;
$$;
