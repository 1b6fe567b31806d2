CREATE SCHEMA app;
CREATE TYPE app.role AS ENUM ('member', 'admin', 'owner');
CREATE TABLE app.org (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    plan text NOT NULL DEFAULT 'free' CONSTRAINT org_plan_check CHECK (plan IN ('free', 'pro')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE app.person (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES app.org ON DELETE CASCADE,
    email text NOT NULL,
    display_name text,
    role app.role NOT NULL DEFAULT 'member',
    updated_at timestamptz
);
CREATE INDEX person_org_idx ON app.person (org_id);
CREATE UNIQUE INDEX person_email_key ON app.person (org_id, lower(email));
CREATE TABLE app.invite (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES app.org ON DELETE CASCADE,
    invited_by bigint REFERENCES app.person ON DELETE SET NULL,
    email text NOT NULL
);
CREATE VIEW app.admin AS
    SELECT id, org_id, email, role FROM app.person WHERE role IN ('admin', 'owner');
ALTER TABLE app.person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_org ON app.person
    USING (org_id = current_setting('app.org_id', true)::bigint)
    WITH CHECK (org_id = current_setting('app.org_id', true)::bigint);
ALTER TABLE app.invite ENABLE ROW LEVEL SECURITY;
CREATE POLICY invite_org ON app.invite
    USING (org_id = current_setting('app.org_id', true)::bigint);
CREATE FUNCTION app.org_size(p_org bigint) RETURNS bigint
    LANGUAGE sql STABLE
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT count(*) FROM app.person WHERE org_id = p_org $$;
CREATE FUNCTION app.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER person_touch BEFORE UPDATE ON app.person
    FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON TABLE app.invite IS 'pending invitations';
