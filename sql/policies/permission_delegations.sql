-- RLS of permission_delegations (contract: docs/rls.md): read by its two users, created by
-- from_user for a project role they hold through project_members, revoked (deleted) by
-- either user. No UPDATE: a change is a delete and an insert, checked again.
-- Not FORCEd: the private helpers run as the table owner and read it.
ALTER TABLE public.permission_delegations ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.permission_delegations FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.permission_delegations TO service_role;

GRANT SELECT, INSERT, DELETE ON public.permission_delegations TO authenticated;

CREATE POLICY permission_delegations_select ON public.permission_delegations
  FOR SELECT TO authenticated
  USING (from_user_id = (SELECT auth.uid()) OR to_user_id = (SELECT auth.uid()));

CREATE POLICY permission_delegations_insert ON public.permission_delegations
  FOR INSERT TO authenticated
  WITH CHECK (
    from_user_id = (SELECT auth.uid())
    AND private.can_delegate(scope, permissions ->> 'role')
  );

CREATE POLICY permission_delegations_delete ON public.permission_delegations
  FOR DELETE TO authenticated
  USING (from_user_id = (SELECT auth.uid()) OR to_user_id = (SELECT auth.uid()));
