CREATE FUNCTION describe(x integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'int ' || x $$;
