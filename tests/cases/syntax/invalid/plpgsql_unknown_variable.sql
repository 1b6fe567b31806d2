-- Assignment to an undeclared variable: PL/pgSQL's parser refuses it at CREATE time with 42601.
-- expect: body-error 6:3
-- server: 42601 "undeclared" is not a known variable
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  undeclared := 1;
END
$$;
