CREATE TABLE notes (id int, owner_id int);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
