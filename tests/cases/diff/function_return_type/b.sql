CREATE FUNCTION big_number() RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 42::bigint $$;
