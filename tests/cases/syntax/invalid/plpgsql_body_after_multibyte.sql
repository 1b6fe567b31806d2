-- A PL/pgSQL error after multi-byte characters in the body.
-- expect: body-error 6:27
-- server: 42601 syntax error at or near "'y'"
CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'größe 😀' || 'x' 'y';
END
$$;
