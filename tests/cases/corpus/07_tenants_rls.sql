-- Multi-tenant notes: RLS enabled and forced, permissive and restrictive policies for
-- roles created in DO blocks, default privileges before the tables they cover.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'corpus_tenants_rls_app') THEN
    CREATE ROLE corpus_tenants_rls_app NOLOGIN;
  END IF;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_tenants_rls_admin NOLOGIN BYPASSRLS;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA tenancy;

ALTER DEFAULT PRIVILEGES IN SCHEMA tenancy GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO corpus_tenants_rls_app;

CREATE TABLE tenancy.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  body text NOT NULL,
  archived boolean NOT NULL DEFAULT false
);

CREATE FUNCTION tenancy.current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER TABLE tenancy.notes ENABLE ROW LEVEL SECURITY;

ALTER TABLE tenancy.notes FORCE ROW LEVEL SECURITY;

CREATE POLICY notes_tenant ON tenancy.notes
  FOR ALL TO corpus_tenants_rls_app
  USING (tenant_id = tenancy.current_tenant())
  WITH CHECK (tenant_id = tenancy.current_tenant());

CREATE POLICY notes_not_archived ON tenancy.notes
  AS RESTRICTIVE FOR UPDATE TO corpus_tenants_rls_app
  USING (NOT archived);

CREATE POLICY notes_admin_read ON tenancy.notes
  FOR SELECT TO corpus_tenants_rls_admin
  USING (true);

GRANT USAGE ON SCHEMA tenancy TO corpus_tenants_rls_app, corpus_tenants_rls_admin;

GRANT SELECT ON tenancy.notes TO corpus_tenants_rls_admin;

COMMENT ON POLICY notes_tenant ON tenancy.notes IS 'Each tenant sees only its own notes.';
