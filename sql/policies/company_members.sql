-- RLS of company_members (contract: docs/rls.md). Policies never read company_members
-- themselves (that recursed forever in the spec): they go through the private helpers.
-- Not FORCEd: the helpers run as the table owner and read this table.
ALTER TABLE public.company_members ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.company_members FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.company_members TO service_role;

GRANT SELECT, INSERT, DELETE ON public.company_members TO authenticated;

-- A membership cannot be moved to another company or user: only its role changes.
GRANT UPDATE (role, permissions) ON public.company_members TO authenticated;

CREATE POLICY company_members_select ON public.company_members
  FOR SELECT TO authenticated
  USING (company_id = ANY (ARRAY(SELECT private.company_ids_with_role(
    ARRAY['owner', 'admin', 'billing_admin', 'member']))));

-- Owners manage every membership; admins every one that is not (and does not become) owner.
CREATE POLICY company_members_insert ON public.company_members
  FOR INSERT TO authenticated
  WITH CHECK (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner'])))
    OR (
      role <> 'owner'
      AND company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['admin'])))
    )
  );

-- No WITH CHECK: PostgreSQL checks the new row with USING too (an admin cannot make anyone
-- owner). A copy of USING as WITH CHECK would have parts no test can tell from weaker ones:
-- company_id is not updatable, so only an admin of the row's company ever reaches it.
CREATE POLICY company_members_update ON public.company_members
  FOR UPDATE TO authenticated
  USING (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner'])))
    OR (
      role <> 'owner'
      AND company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['admin'])))
    )
  );

-- Plus: anyone may leave (the last owner is stopped by company_members_keep_owner).
CREATE POLICY company_members_delete ON public.company_members
  FOR DELETE TO authenticated
  USING (
    user_id = (SELECT auth.uid())
    OR company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner'])))
    OR (
      role <> 'owner'
      AND company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['admin'])))
    )
  );

CREATE TRIGGER company_members_keep_owner
  AFTER UPDATE OR DELETE ON public.company_members
  FOR EACH ROW EXECUTE FUNCTION private.keep_last_owner();
