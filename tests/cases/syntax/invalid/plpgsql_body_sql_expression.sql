-- A broken SQL expression inside PL/pgSQL: the embedded SQL is parsed at CREATE time; its end of
-- input is just after its last character.
-- expect: body-error 7:9
-- server: 42601 syntax error at end of input
CREATE FUNCTION f(a int) RETURNS int LANGUAGE plpgsql AS $fn$
BEGIN
  IF a > THEN
    RETURN 1;
  END IF;
  RETURN 0;
END
$fn$;
