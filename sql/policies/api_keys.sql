-- RLS of api_keys (contract: docs/rls.md): read and managed by owner/admin of the company,
-- project keys also by those who HOLD admin of the project (a delegate must not mint a key
-- that outlives the delegation). Not FORCEd: private.administered_api_key_ids() runs as the
-- table owner and reads it.
ALTER TABLE public.api_keys ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.api_keys FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.api_keys TO service_role;

-- Every column but key_hash (write-only for signed-in users).
GRANT SELECT (
  id, company_id, project_id, key_prefix, name, description, scopes, role, ip_whitelist,
  created_by, created_at, expires_at, last_used_at, revoked_at, usage_count,
  rate_limit_per_minute, metadata
) ON public.api_keys TO authenticated;

GRANT INSERT, UPDATE, DELETE ON public.api_keys TO authenticated;

CREATE POLICY api_keys_select ON public.api_keys
  FOR SELECT TO authenticated
  USING (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(
      SELECT private.held_project_ids_with_role(ARRAY['project_owner', 'project_admin'])
    ))
  );

-- The key's project must belong to the key's company, or a project admin could file a key
-- under another tenant.
CREATE POLICY api_keys_insert ON public.api_keys
  FOR INSERT TO authenticated
  WITH CHECK (
    (
      company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
      AND (project_id IS NULL OR private.project_in_company(project_id, company_id))
    )
    OR (
      project_id = ANY (ARRAY(
        SELECT private.held_project_ids_with_role(ARRAY['project_owner', 'project_admin'])
      ))
      AND private.project_in_company(project_id, company_id)
    )
  );

CREATE POLICY api_keys_update ON public.api_keys
  FOR UPDATE TO authenticated
  USING (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(
      SELECT private.held_project_ids_with_role(ARRAY['project_owner', 'project_admin'])
    ))
  )
  WITH CHECK (
    (
      company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
      AND (project_id IS NULL OR private.project_in_company(project_id, company_id))
    )
    OR (
      project_id = ANY (ARRAY(
        SELECT private.held_project_ids_with_role(ARRAY['project_owner', 'project_admin'])
      ))
      AND private.project_in_company(project_id, company_id)
    )
  );

CREATE POLICY api_keys_delete ON public.api_keys
  FOR DELETE TO authenticated
  USING (
    company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin'])))
    OR project_id = ANY (ARRAY(
      SELECT private.held_project_ids_with_role(ARRAY['project_owner', 'project_admin'])
    ))
  );
