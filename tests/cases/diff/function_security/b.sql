CREATE FUNCTION whoami() RETURNS text
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET work_mem = '8MB'
    AS $$ BEGIN RETURN current_user; END $$;
