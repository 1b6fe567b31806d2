-- A LANGUAGE sql function with a $$ body.
-- expect: ok
CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
