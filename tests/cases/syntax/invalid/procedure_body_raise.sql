-- A RAISE with a dangling comma in a PL/pgSQL procedure: PL/pgSQL's own message.
-- expect: body-error 6:21
-- server: 42601 missing expression at or near ";"
CREATE PROCEDURE p() LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'x', ;
END
$$;
