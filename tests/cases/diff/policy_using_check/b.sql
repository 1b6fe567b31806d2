CREATE TABLE doc (
    id integer PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    tenant_id integer NOT NULL,
    body text
);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;

CREATE POLICY doc_tenant ON doc
    USING (tenant_id = current_setting('app.tenant_id', true)::integer)
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)::integer AND owner = current_user);
