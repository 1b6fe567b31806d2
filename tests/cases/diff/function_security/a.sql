CREATE FUNCTION whoami() RETURNS text
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN current_user; END $$;
