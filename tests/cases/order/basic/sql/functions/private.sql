CREATE SCHEMA IF NOT EXISTS private;

CREATE FUNCTION private.my_org_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $fn$ SELECT a.org_id FROM public.accounts AS a WHERE a.id = (SELECT auth.uid()) $fn$;
