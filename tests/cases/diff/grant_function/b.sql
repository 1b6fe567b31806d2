CREATE FUNCTION secret_sum(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a + b $$;
CREATE PROCEDURE noop()
    LANGUAGE sql
    AS $$ SELECT 1 $$;

REVOKE EXECUTE ON FUNCTION secret_sum(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret_sum(integer, integer) TO diffcase_reader;
REVOKE EXECUTE ON PROCEDURE noop() FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE noop() TO diffcase_writer;
