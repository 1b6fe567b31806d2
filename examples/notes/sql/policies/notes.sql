ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.notes FROM anon, PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO authenticated;

CREATE POLICY notes_own ON public.notes
  FOR ALL TO authenticated
  USING (owner_id = (SELECT auth.uid()))
  WITH CHECK (owner_id = (SELECT auth.uid()));
