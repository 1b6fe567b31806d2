CREATE FUNCTION greet(who text, greeting text DEFAULT 'hello') RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT greeting || ' ' || who $$;
