CREATE FUNCTION area(w integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT w * w $$;
