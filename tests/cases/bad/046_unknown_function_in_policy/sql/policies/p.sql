CREATE POLICY notes_owner ON notes
  USING (owner_id = current_owner_id());
