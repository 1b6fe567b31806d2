-- RLS of projects (contract: docs/rls.md). Not FORCEd: the private helpers and the stats
-- refresh run as the table owner and read this table.
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.projects FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.projects TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.projects TO authenticated;

CREATE POLICY projects_select ON public.projects
  FOR SELECT TO authenticated
  USING (id = ANY (ARRAY(SELECT private.readable_project_ids())));

CREATE POLICY projects_insert ON public.projects
  FOR INSERT TO authenticated
  WITH CHECK (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
  );

-- New row: owner/admin of its (new) company, or the company is unchanged
-- (project_in_company reads the stored row) and the caller administers the project.
CREATE POLICY projects_update ON public.projects
  FOR UPDATE TO authenticated
  USING (id = ANY (ARRAY(SELECT private.administered_project_ids())))
  WITH CHECK (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
    OR (
      id = ANY (ARRAY(SELECT private.administered_project_ids()))
      AND private.project_in_company(id, company_id)
    )
  );

CREATE POLICY projects_delete ON public.projects
  FOR DELETE TO authenticated
  USING (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
    OR id = ANY (ARRAY(SELECT private.project_ids_with_role(ARRAY['project_owner'])))
  );
