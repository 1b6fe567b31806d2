CREATE FUNCTION greet(who text, greeting text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT greeting || ' ' || who $$;
