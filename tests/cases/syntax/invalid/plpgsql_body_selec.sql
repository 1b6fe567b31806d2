-- A misspelled statement in a PL/pgSQL body: the raw grammar accepts the statement, PL/pgSQL's
-- parser rejects it at CREATE time.
-- expect: body-error 9:3
-- server: 42601 syntax error at or near "SELEC"
CREATE FUNCTION f() RETURNS int
LANGUAGE plpgsql
AS $$
BEGIN
  SELEC 1;
  RETURN 1;
END
$$;
