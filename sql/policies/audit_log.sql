-- RLS of audit_log (contract: docs/rls.md): read by owner/admin of its company; append-only.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.audit_log FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.audit_log FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.audit_log TO service_role;

GRANT SELECT ON public.audit_log TO authenticated;

CREATE POLICY audit_log_select ON public.audit_log
  FOR SELECT TO authenticated
  USING (company_id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin']))));
