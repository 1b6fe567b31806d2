-- OUT/INOUT/VARIADIC parameters and defaults.
-- expect: ok
CREATE OR REPLACE FUNCTION stats(IN xs int[], INOUT scale numeric DEFAULT 1, OUT total numeric, VARIADIC extra text[] DEFAULT '{}') LANGUAGE sql AS $$ SELECT scale, sum(x) * scale FROM unnest(xs) x $$;
