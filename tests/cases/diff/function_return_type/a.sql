CREATE FUNCTION big_number() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 42 $$;
