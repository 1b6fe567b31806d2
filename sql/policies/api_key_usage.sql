-- RLS of api_key_usage (contract: docs/rls.md): read by owner/admin of the key's company.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.api_key_usage ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.api_key_usage FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.api_key_usage FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.api_key_usage TO service_role;

GRANT SELECT ON public.api_key_usage TO authenticated;

CREATE POLICY api_key_usage_select ON public.api_key_usage
  FOR SELECT TO authenticated
  USING (api_key_id = ANY (ARRAY(SELECT private.administered_api_key_ids())));
