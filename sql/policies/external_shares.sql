-- RLS of external_shares (contract: docs/rls.md): read per project, created by its writers,
-- changed by their creator (while a writer) or by the project's administrators.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.external_shares ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.external_shares FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.external_shares FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.external_shares TO service_role;

-- Every column but password_hash (write-only for signed-in users).
GRANT SELECT (
  id, project_id, created_by, share_token, file_name, file_size, file_hash, max_downloads,
  download_count, expires_at, require_email, allowed_emails, created_at, last_accessed_at,
  access_logs, status
) ON public.external_shares TO authenticated;

GRANT INSERT, UPDATE, DELETE ON public.external_shares TO authenticated;

CREATE POLICY external_shares_select ON public.external_shares
  FOR SELECT TO authenticated
  USING (project_id = ANY (ARRAY(SELECT private.readable_project_ids())));

-- created_by must be the caller: "changed by their creator" must not be forgeable.
CREATE POLICY external_shares_insert ON public.external_shares
  FOR INSERT TO authenticated
  WITH CHECK (
    created_by = (SELECT auth.uid())
    AND project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
  );

CREATE POLICY external_shares_update ON public.external_shares
  FOR UPDATE TO authenticated
  USING (
    (
      created_by = (SELECT auth.uid())
      AND project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    )
    OR project_id = ANY (ARRAY(SELECT private.administered_project_ids()))
  )
  WITH CHECK (
    (
      created_by = (SELECT auth.uid())
      AND project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    )
    OR project_id = ANY (ARRAY(SELECT private.administered_project_ids()))
  );

CREATE POLICY external_shares_delete ON public.external_shares
  FOR DELETE TO authenticated
  USING (
    (
      created_by = (SELECT auth.uid())
      AND project_id = ANY (ARRAY(SELECT private.writable_project_ids()))
    )
    OR project_id = ANY (ARRAY(SELECT private.administered_project_ids()))
  );
