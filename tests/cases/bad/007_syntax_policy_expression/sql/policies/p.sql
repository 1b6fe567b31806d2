CREATE POLICY notes_read ON notes
  FOR SELECT
  USING (owner_id = );
