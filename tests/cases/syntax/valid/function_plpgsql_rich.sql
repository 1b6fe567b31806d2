-- A PL/pgSQL body with loops, exceptions, dynamic SQL, cursors and diagnostics.
-- expect: ok
CREATE FUNCTION archive_old(days int) RETURNS int
LANGUAGE plpgsql
AS $body$
<<outer>>
DECLARE
  r record;
  n int := 0;
  cur CURSOR FOR SELECT id FROM orders;
  total CONSTANT int NOT NULL := 0;
BEGIN
  FOR r IN SELECT id FROM orders WHERE created_at < now() - make_interval(days => days) LOOP
    EXECUTE format('DELETE FROM %I WHERE id = $1', 'orders') USING r.id;
    n := n + 1;
  END LOOP;
  FOREACH r.id IN ARRAY ARRAY[1, 2] LOOP
    CONTINUE WHEN r.id = 1;
  END LOOP;
  WHILE n > 100 LOOP
    EXIT outer WHEN true;
  END LOOP;
  IF n = 0 THEN
    RAISE NOTICE 'nothing archived (%)', days;
  ELSIF n > 10 THEN
    RAISE WARNING USING MESSAGE = 'many', HINT = 'check';
  ELSE
    NULL;
  END IF;
  GET DIAGNOSTICS n = ROW_COUNT;
  CASE WHEN n > 1 THEN n := 1; ELSE n := 0; END CASE;
  RETURN n;
EXCEPTION
  WHEN unique_violation OR SQLSTATE '23503' THEN
    RAISE EXCEPTION 'failed: %', SQLERRM USING ERRCODE = 'P0001';
END outer
$body$;
