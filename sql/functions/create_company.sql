-- The only way a signed-in user creates a company (authenticated has no INSERT on companies):
-- inserts it and makes the caller its owner, atomically. SECURITY DEFINER because the caller
-- is not yet a member, so no policy could let them insert the first owner row.
CREATE OR REPLACE FUNCTION public.create_company(name text, slug text)
RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := (SELECT auth.uid());
  new_id uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'create_company needs a signed-in user (auth.uid() is null)'
      USING ERRCODE = '42501';
  END IF;
  INSERT INTO public.companies (name, slug)
  VALUES (create_company.name, create_company.slug)
  RETURNING id INTO new_id;
  INSERT INTO public.company_members (company_id, user_id, role)
  VALUES (new_id, me, 'owner');
  RETURN new_id;
END;
$$;

REVOKE ALL ON FUNCTION public.create_company(text, text) FROM PUBLIC, anon;

GRANT EXECUTE ON FUNCTION public.create_company(text, text) TO authenticated;
