-- RLS of agent_heartbeats (contract: docs/rls.md): read per project of its agent.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- Not FORCEd: REFRESH of project_realtime_stats runs as the owner and reads it.
ALTER TABLE public.agent_heartbeats ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.agent_heartbeats FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.agent_heartbeats TO service_role;

GRANT SELECT ON public.agent_heartbeats TO authenticated;

CREATE POLICY agent_heartbeats_select ON public.agent_heartbeats
  FOR SELECT TO authenticated
  USING (agent_id IN (
    SELECT a.id FROM public.agents AS a
    WHERE a.project_id = ANY (ARRAY(SELECT private.readable_project_ids()))
  ));
