-- RLS of transfer_schedules (contract: docs/rls.md): read per project, created and
-- updated by its writers with both agents in the same project, deleted by its administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.transfer_schedules ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.transfer_schedules FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.transfer_schedules FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.transfer_schedules TO service_role;

GRANT SELECT, INSERT, UPDATE, DELETE ON public.transfer_schedules TO authenticated;

CREATE POLICY transfer_schedules_select ON public.transfer_schedules
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

-- An agent of another project (even one the caller administers) must not be referenced.
CREATE POLICY transfer_schedules_insert ON public.transfer_schedules
  FOR INSERT TO authenticated
  WITH CHECK (
    project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    AND (source_agent_id IS NULL OR private.agent_in_project(source_agent_id, project_id))
    AND (
      destination_agent_id IS NULL
      OR private.agent_in_project(destination_agent_id, project_id)
    )
  );

CREATE POLICY transfer_schedules_update ON public.transfer_schedules
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

CREATE POLICY transfer_schedules_delete ON public.transfer_schedules
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
