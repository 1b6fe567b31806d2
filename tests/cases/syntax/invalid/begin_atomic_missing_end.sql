-- BEGIN ATOMIC without END: error at the end of input.
-- expect: error 6:12
-- server: 42601 syntax error at end of input
CREATE FUNCTION f() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
