-- RETURN QUERY and RETURN NEXT in a set-returning PL/pgSQL function.
-- expect: ok
CREATE FUNCTION evens(n int) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY SELECT g FROM generate_series(0, n, 2) g; RETURN NEXT -1; RETURN; END $$;
