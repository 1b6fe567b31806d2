-- RLS of agents (contract: docs/rls.md): read per project, written by its administrators.
-- Not FORCEd: private helpers and the stats refresh run as the table owner and read it.
ALTER TABLE public.agents ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.agents FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.agents TO service_role;

-- Every column but the secret one (write-only for signed-in users).
GRANT SELECT (
  id, project_id, name, version, platform, capabilities, last_seen, status, metadata,
  created_at, updated_at
) ON public.agents TO authenticated;

GRANT INSERT, UPDATE, DELETE ON public.agents TO authenticated;

CREATE POLICY agents_select ON public.agents
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

CREATE POLICY agents_insert ON public.agents
  FOR INSERT TO authenticated
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

-- WITH CHECK on the new row: moving it to another project needs administering both.
CREATE POLICY agents_update ON public.agents
  FOR UPDATE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())))
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

CREATE POLICY agents_delete ON public.agents
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
