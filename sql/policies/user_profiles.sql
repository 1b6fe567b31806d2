-- RLS of user_profiles (contract: docs/rls.md). FORCEd: nothing running as the table owner
-- needs it, so the owner role gets no silent bypass.
ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.user_profiles FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.user_profiles FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.user_profiles TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.user_profiles TO authenticated;

CREATE POLICY user_profiles_select ON public.user_profiles
  FOR SELECT TO authenticated
  USING (id = ANY (ARRAY(SELECT private.co_member_user_ids())));

CREATE POLICY user_profiles_insert ON public.user_profiles
  FOR INSERT TO authenticated
  WITH CHECK (id = (SELECT auth.uid()));

CREATE POLICY user_profiles_update ON public.user_profiles
  FOR UPDATE TO authenticated
  USING (id = (SELECT auth.uid()))
  WITH CHECK (id = (SELECT auth.uid()));

CREATE POLICY user_profiles_delete ON public.user_profiles
  FOR DELETE TO authenticated
  USING (id = (SELECT auth.uid()));
