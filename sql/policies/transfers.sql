-- RLS of transfers (contract: docs/rls.md): read per project, created and updated by its writers
-- with both agents in the same project, deleted by its administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.transfers ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.transfers FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.transfers FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.transfers TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.transfers TO authenticated;

CREATE POLICY transfers_select ON public.transfers
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

-- An agent of another project (even one the caller administers) must not be referenced.
CREATE POLICY transfers_insert ON public.transfers
  FOR INSERT TO authenticated
  WITH CHECK (
    project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    AND (source_agent_id IS NULL OR private.agent_in_project(source_agent_id, project_id))
    AND (
      destination_agent_id IS NULL
      OR private.agent_in_project(destination_agent_id, project_id)
    )
  );

CREATE POLICY transfers_update ON public.transfers
  FOR UPDATE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.writable_project_ids())))
  WITH CHECK (
    project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    AND (source_agent_id IS NULL OR private.agent_in_project(source_agent_id, project_id))
    AND (
      destination_agent_id IS NULL
      OR private.agent_in_project(destination_agent_id, project_id)
    )
  );

CREATE POLICY transfers_delete ON public.transfers
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
