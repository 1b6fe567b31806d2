CREATE FUNCTION price_with_tax(p numeric) RETURNS numeric
    LANGUAGE sql
    IMMUTABLE STRICT PARALLEL SAFE COST 5
    AS $$ SELECT p * 1.2 $$;
