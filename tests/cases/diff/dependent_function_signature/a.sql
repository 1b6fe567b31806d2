CREATE FUNCTION tenant_of(x integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT x % 10 $$;
CREATE TABLE record (
    id integer PRIMARY KEY,
    tenant integer NOT NULL DEFAULT tenant_of(0),
    CONSTRAINT record_tenant_check CHECK (tenant_of(tenant) >= 0)
);
CREATE INDEX record_tenant_of_idx ON record (tenant_of(tenant));
CREATE VIEW record_tenant AS SELECT id, tenant_of(tenant) AS t FROM record;
ALTER TABLE record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_tenant_policy ON record USING (tenant_of(tenant) = 1);
