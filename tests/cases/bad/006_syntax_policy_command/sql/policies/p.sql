CREATE POLICY notes_read ON notes
  FOR SELEKT
  USING (true);
