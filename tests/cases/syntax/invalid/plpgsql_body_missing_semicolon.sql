-- A missing semicolon in PL/pgSQL: reported where the next statement starts.
-- expect: body-error 8:1
-- server: 42601 syntax error at end of input
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1
END
$$;
