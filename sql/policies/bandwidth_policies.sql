-- RLS of bandwidth_policies (contract: docs/rls.md): read per project,
-- written by its administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.bandwidth_policies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.bandwidth_policies FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.bandwidth_policies FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.bandwidth_policies TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.bandwidth_policies TO authenticated;

CREATE POLICY bandwidth_policies_select ON public.bandwidth_policies
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

CREATE POLICY bandwidth_policies_insert ON public.bandwidth_policies
  FOR INSERT TO authenticated
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

-- WITH CHECK on the new row: moving it to another project needs administering both.
CREATE POLICY bandwidth_policies_update ON public.bandwidth_policies
  FOR UPDATE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())))
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

CREATE POLICY bandwidth_policies_delete ON public.bandwidth_policies
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
