-- An INSERT policy with WITH CHECK.
-- expect: ok
CREATE POLICY insert_own ON accounts FOR INSERT TO authenticated WITH CHECK (owner_id = auth.uid());
