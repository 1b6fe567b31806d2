-- RLS of project_members (contract: docs/rls.md). Managed by those who HOLD admin of the
-- project: a delegate must not turn a temporary role into a permanent membership.
-- Not FORCEd: the private helpers run as the table owner and read this table.
ALTER TABLE public.project_members ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.project_members FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.project_members TO service_role;

GRANT SELECT, INSERT, DELETE ON public.project_members TO authenticated;

GRANT UPDATE (role, permissions) ON public.project_members TO authenticated;

CREATE POLICY project_members_select ON public.project_members
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

-- Only a project_owner or the company's owner/admin touch project_owner rows.
CREATE POLICY project_members_insert ON public.project_members
  FOR INSERT TO authenticated
  WITH CHECK (
    project_id = ANY (ARRAY(SELECT private.company_project_ids(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(SELECT private.held_project_ids_with_role(ARRAY['project_owner'])))
    OR (
      role <> 'project_owner'
      AND project_id = ANY (ARRAY(
        SELECT private.held_project_ids_with_role(ARRAY['project_admin'])
      ))
    )
  );

-- No WITH CHECK: PostgreSQL checks the new row with USING too (a project_admin cannot make
-- anyone project_owner). A copy of USING as WITH CHECK would have parts no test can tell
-- from weaker ones: project_id is not updatable, so only a holder of the row's project
-- ever reaches it.
CREATE POLICY project_members_update ON public.project_members
  FOR UPDATE TO authenticated
  USING (
    project_id = ANY (ARRAY(SELECT private.company_project_ids(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(SELECT private.held_project_ids_with_role(ARRAY['project_owner'])))
    OR (
      role <> 'project_owner'
      AND project_id = ANY (ARRAY(
        SELECT private.held_project_ids_with_role(ARRAY['project_admin'])
      ))
    )
  );

CREATE POLICY project_members_delete ON public.project_members
  FOR DELETE TO authenticated
  USING (
    project_id = ANY (ARRAY(SELECT private.company_project_ids(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(SELECT private.held_project_ids_with_role(ARRAY['project_owner'])))
    OR (
      role <> 'project_owner'
      AND project_id = ANY (ARRAY(
        SELECT private.held_project_ids_with_role(ARRAY['project_admin'])
      ))
    )
  );
