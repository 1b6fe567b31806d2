-- A misspelled INSERT in a PL/pgSQL procedure: PL/pgSQL reads an unknown first word as the start
-- of a SQL statement and its INTO as a target list, so the error is at the table name.
-- expect: body-error 7:14
-- server: 42601 "t" is not a known variable
CREATE PROCEDURE p() LANGUAGE plpgsql AS $$
BEGIN
  INSRT INTO t VALUES (1);
END
$$;
