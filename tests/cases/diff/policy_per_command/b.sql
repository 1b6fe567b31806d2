CREATE TABLE doc (
    id integer PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    tenant_id integer NOT NULL,
    body text
);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;

CREATE POLICY doc_insert ON doc FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY doc_delete ON doc FOR DELETE USING (owner = current_user);
CREATE POLICY doc_all ON doc FOR ALL USING (tenant_id > 0) WITH CHECK (tenant_id > 0);
