-- RLS of active_transfers (contract: docs/rls.md): read per project.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- Not FORCEd: REFRESH of project_realtime_stats runs as the owner and reads it.
ALTER TABLE public.active_transfers ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.active_transfers FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.active_transfers TO service_role;

GRANT SELECT ON public.active_transfers TO authenticated;

CREATE POLICY active_transfers_select ON public.active_transfers
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));
