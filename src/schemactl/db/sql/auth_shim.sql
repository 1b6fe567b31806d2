-- Supabase compatibility layer for plain PostgreSQL: schema auth, table auth.users,
-- functions auth.uid(), auth.jwt(), auth.role() and roles anon, authenticated, service_role.
--
-- Idempotent and safe inside a transaction; schemactl runs it as one multi-statement string.
-- It never replaces an existing auth.uid(), auth.jwt() or auth.role() (a real Supabase
-- database, or a user's own version, wins).

CREATE SCHEMA IF NOT EXISTS auth;

-- A small subset of Supabase's auth.users: enough for foreign keys and test fixtures.
CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text UNIQUE,
  role text DEFAULT 'authenticated',
  raw_app_meta_data jsonb DEFAULT '{}'::jsonb,
  raw_user_meta_data jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

-- Roles are cluster-wide: another database of the same server may create them at the same
-- time, so check first and also swallow the error of losing that race.
DO $shim$
DECLARE
  spec text[];
BEGIN
  FOREACH spec SLICE 1 IN ARRAY ARRAY[
    ARRAY['anon', 'NOLOGIN NOINHERIT'],
    ARRAY['authenticated', 'NOLOGIN NOINHERIT'],
    ARRAY['service_role', 'NOLOGIN NOINHERIT BYPASSRLS']
  ] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = spec[1]) THEN
      BEGIN
        EXECUTE pg_catalog.format('CREATE ROLE %I %s', spec[1], spec[2]);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- created concurrently by another session: fine
      END;
    END IF;
  END LOOP;
END
$shim$;

-- Supabase's semantics: the legacy per-claim setting first, then the claims JSON;
-- an empty string means NULL. Created only when missing, never replaced.
DO $shim$
BEGIN
  IF pg_catalog.to_regprocedure('auth.uid()') IS NULL THEN
    BEGIN
      EXECUTE $fn$
        CREATE FUNCTION auth.uid() RETURNS uuid
        LANGUAGE sql STABLE
        AS $body$
          SELECT coalesce(
            nullif(current_setting('request.jwt.claim.sub', true), ''),
            nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')
          )::uuid
        $body$
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;  -- created concurrently by another session: keep theirs
    END;
  END IF;

  IF pg_catalog.to_regprocedure('auth.role()') IS NULL THEN
    BEGIN
      EXECUTE $fn$
        CREATE FUNCTION auth.role() RETURNS text
        LANGUAGE sql STABLE
        AS $body$
          SELECT coalesce(
            nullif(current_setting('request.jwt.claim.role', true), ''),
            nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '')
          )::text
        $body$
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;
    END;
  END IF;

  IF pg_catalog.to_regprocedure('auth.jwt()') IS NULL THEN
    BEGIN
      EXECUTE $fn$
        CREATE FUNCTION auth.jwt() RETURNS jsonb
        LANGUAGE sql STABLE
        AS $body$
          SELECT coalesce(
            nullif(current_setting('request.jwt.claim', true), ''),
            nullif(current_setting('request.jwt.claims', true), '')
          )::jsonb
        $body$
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$shim$;

-- As on Supabase: the API roles may use the schemas and call the auth helpers.
-- GRANT is idempotent. auth.users itself stays unreadable to them, as on Supabase.
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.jwt(), auth.role() TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
