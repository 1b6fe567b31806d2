CREATE TABLE notes (id int, owner_id uuid);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
