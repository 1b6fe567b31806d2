-- An error in the second statement of a LANGUAGE sql body.
-- expect: body-error 6:3
-- server: 42601 syntax error at or near "UPDAT"
CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $body$
  INSERT INTO t VALUES (1);
  UPDAT t SET a = 2;
$body$;
