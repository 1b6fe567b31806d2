-- CRLF line endings inside a dollar-quoted PL/pgSQL body.
-- expect: ok
CREATE FUNCTION crlf_fn() RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END
$$;
