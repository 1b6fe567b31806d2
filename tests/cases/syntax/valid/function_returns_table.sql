-- RETURNS TABLE with STABLE, STRICT, SECURITY DEFINER, SET search_path, COST and ROWS.
-- expect: ok
CREATE FUNCTION accounts_of(uid uuid) RETURNS TABLE (id bigint, email text) LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = '' COST 10 ROWS 5 AS $$ SELECT id, email FROM public.accounts WHERE owner_id = uid $$;
