-- A SQL-standard BEGIN ATOMIC body with CASE ... END and several statements.
-- expect: ok
CREATE FUNCTION classify(a int) RETURNS text
LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END;
END;
