-- END instead of END IF.
-- expect: body-error 8:6
-- server: 42601 syntax error at or near ";"
CREATE FUNCTION f(a int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  IF a > 0 THEN
    RETURN 1;
  END;
  RETURN 0;
END
$$;
