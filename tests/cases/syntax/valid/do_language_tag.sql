-- DO with LANGUAGE before a $tag$ body holding a $$ string.
-- expect: ok
DO LANGUAGE plpgsql $do$
DECLARE
  stmt text := $$SELECT 1$$;
BEGIN
  EXECUTE stmt;
  PERFORM pg_catalog.set_config('app.x', 'y', true);
END
$do$;
