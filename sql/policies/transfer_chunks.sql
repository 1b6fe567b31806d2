-- RLS of transfer_chunks (contract: docs/rls.md): read per project of its transfer.
-- Signed-in users only read it; agents and the platform write it through service_role.
-- FORCEd: nothing running as the table owner needs it, so the owner gets no silent bypass.
ALTER TABLE public.transfer_chunks ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.transfer_chunks FORCE ROW LEVEL SECURITY;

REVOKE ALL ON public.transfer_chunks FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.transfer_chunks TO service_role;

GRANT SELECT ON public.transfer_chunks TO authenticated;

CREATE POLICY transfer_chunks_select ON public.transfer_chunks
  FOR SELECT TO authenticated
  USING (transfer_id IN (
    SELECT t.id FROM public.transfers AS t
    WHERE t.project_id = ANY (ARRAY(SELECT private.readable_project_ids()))
  ));
