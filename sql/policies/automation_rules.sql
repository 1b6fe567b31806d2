-- RLS of automation_rules (contract: docs/rls.md): read per project, written by its administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.automation_rules ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.automation_rules FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.automation_rules FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.automation_rules TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.automation_rules TO authenticated;

CREATE POLICY automation_rules_select ON public.automation_rules
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

CREATE POLICY automation_rules_insert ON public.automation_rules
  FOR INSERT TO authenticated
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

-- WITH CHECK on the new row: moving it to another project needs administering both.
CREATE POLICY automation_rules_update ON public.automation_rules
  FOR UPDATE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())))
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

CREATE POLICY automation_rules_delete ON public.automation_rules
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
