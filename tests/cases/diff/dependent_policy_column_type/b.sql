CREATE TABLE note (
    id integer PRIMARY KEY,
    tenant_id bigint NOT NULL
);
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_tenant ON note USING (tenant_id = 1);
