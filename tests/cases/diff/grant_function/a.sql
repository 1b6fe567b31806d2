CREATE FUNCTION secret_sum(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a + b $$;
CREATE PROCEDURE noop()
    LANGUAGE sql
    AS $$ SELECT 1 $$;
