-- An error inside a BEGIN ATOMIC body: the main grammar parses it.
-- expect: error 8:13
-- server: 42601 syntax error at or near ";"
CREATE FUNCTION f(a int) RETURNS int
LANGUAGE sql
BEGIN ATOMIC
  SELECT a;
  SELECT a +;
END;
