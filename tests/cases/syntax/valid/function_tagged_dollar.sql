-- A $tag$ body containing $$ and a semicolon in a string.
-- expect: ok
CREATE FUNCTION make_sql(tbl text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  q text := $$SELECT 'a;b' FROM $$ || quote_ident(tbl);
BEGIN
  RETURN q;
END
$fn$;
