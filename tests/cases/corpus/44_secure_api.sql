-- A secured API layer: SECURITY DEFINER functions with a fixed search_path, EXECUTE
-- revoked from PUBLIC then granted per role, a security_invoker view, a policy calling a
-- function, grants on all functions and sequences of the schema.

DO $$
BEGIN
  CREATE ROLE corpus_secure_api_caller NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA private;

CREATE SCHEMA rpc;

CREATE TABLE private.secrets (
  id serial PRIMARY KEY,
  owner_name text NOT NULL DEFAULT current_user,
  label text NOT NULL,
  value text NOT NULL
);

CREATE FUNCTION private.is_owner(owner_name text) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT owner_name = current_user $$;

ALTER TABLE private.secrets ENABLE ROW LEVEL SECURITY;

CREATE POLICY secrets_owner ON private.secrets
  TO corpus_secure_api_caller
  USING (private.is_owner(owner_name));

CREATE FUNCTION rpc.secret_labels() RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
  AS $$ SELECT s.label FROM private.secrets AS s WHERE s.owner_name = session_user $$;

CREATE FUNCTION rpc.add_secret(label text, value text) RETURNS integer
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ INSERT INTO private.secrets (label, value) VALUES (label, value) RETURNING id $$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA rpc FROM PUBLIC;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rpc TO corpus_secure_api_caller;

GRANT USAGE ON SCHEMA rpc TO corpus_secure_api_caller;

GRANT ALL ON ALL SEQUENCES IN SCHEMA private TO corpus_secure_api_caller;

CREATE VIEW rpc.my_secrets WITH (security_invoker = true) AS
  SELECT s.id, s.label FROM private.secrets AS s;

COMMENT ON FUNCTION rpc.add_secret(text, text) IS 'Runs as the owner; callers need EXECUTE.';
