-- An UPDATE policy with USING and WITH CHECK, multi-line.
-- expect: ok
CREATE POLICY update_own ON accounts
  AS PERMISSIVE
  FOR UPDATE
  TO authenticated
  USING (owner_id = (SELECT auth.uid()))
  WITH CHECK (owner_id = (SELECT auth.uid()) AND status <> 'closed');
