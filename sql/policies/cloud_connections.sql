-- RLS of cloud_connections (contract: docs/rls.md): read per project,
-- written by its administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.cloud_connections ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.cloud_connections FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.cloud_connections FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.cloud_connections TO service_role;

-- Every column but the secret one (write-only for signed-in users).
GRANT SELECT (
  id, project_id, name, provider, region, endpoint_url, options, last_validated_at,
  validation_status, created_at
) ON public.cloud_connections TO authenticated;

GRANT INSERT, UPDATE, DELETE ON public.cloud_connections TO authenticated;

CREATE POLICY cloud_connections_select ON public.cloud_connections
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

CREATE POLICY cloud_connections_insert ON public.cloud_connections
  FOR INSERT TO authenticated
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

-- WITH CHECK on the new row: moving it to another project needs administering both.
CREATE POLICY cloud_connections_update ON public.cloud_connections
  FOR UPDATE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())))
  WITH CHECK (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));

CREATE POLICY cloud_connections_delete ON public.cloud_connections
  FOR DELETE TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.administered_project_ids())));
