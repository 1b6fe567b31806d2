CREATE FUNCTION bump(x integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN x + 1; END $$;
