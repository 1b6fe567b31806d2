CREATE TABLE doc (
    id integer PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    tenant_id integer NOT NULL,
    body text
);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;

CREATE POLICY "owner can read" ON doc FOR SELECT USING (owner = current_user);
