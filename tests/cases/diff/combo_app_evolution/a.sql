CREATE SCHEMA app;
CREATE TYPE app.role AS ENUM ('member', 'admin');
CREATE TABLE app.org (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE app.person (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES app.org ON DELETE CASCADE,
    email text NOT NULL,
    role app.role NOT NULL DEFAULT 'member'
);
CREATE INDEX person_org_idx ON app.person (org_id);
CREATE VIEW app.admin AS SELECT id, org_id, email FROM app.person WHERE role = 'admin';
ALTER TABLE app.person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_org ON app.person
    USING (org_id = current_setting('app.org_id', true)::bigint);
CREATE FUNCTION app.org_size(p_org bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM app.person WHERE org_id = p_org $$;
