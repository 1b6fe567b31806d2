-- RLS of agent_telemetry (contract: docs/rls.md): read per project;
-- the policy of the partitioned parent covers every partition queried through it.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- Not FORCEd: REFRESH of project_realtime_stats runs as the owner and reads it.
ALTER TABLE public.agent_telemetry ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.agent_telemetry FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.agent_telemetry TO service_role;

GRANT SELECT ON public.agent_telemetry TO authenticated;

CREATE POLICY agent_telemetry_select ON public.agent_telemetry
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

-- Partitions are tables of their own: queried directly, the parent's policy does not apply,
-- and on Supabase default privileges would give authenticated access to them. So they get
-- RLS without any policy (deny) and no privileges. `schemactl partitions ensure` must do the
-- same for every partition it creates (docs/rls.md).
ALTER TABLE public.agent_telemetry_2025_01 ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.agent_telemetry_2025_01 FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.agent_telemetry_2025_01 TO service_role;

ALTER TABLE public.agent_telemetry_default ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.agent_telemetry_default FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.agent_telemetry_default TO service_role;
