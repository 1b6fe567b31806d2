CREATE FUNCTION area(w integer, h integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT w * h $$;
