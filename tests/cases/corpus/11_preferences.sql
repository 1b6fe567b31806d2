-- User preferences: hstore and citext from extensions, a domain over citext, a column
-- added later with a constraint on it.

CREATE EXTENSION IF NOT EXISTS hstore;

CREATE EXTENSION IF NOT EXISTS citext;

CREATE SCHEMA kv;

CREATE TABLE kv.users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL UNIQUE,
  prefs hstore NOT NULL DEFAULT ''::hstore
);

CREATE INDEX users_prefs_idx ON kv.users USING gin (prefs);

CREATE DOMAIN kv.handle AS citext
  CHECK (VALUE ~ '^[a-z0-9_]{3,30}$');

ALTER TABLE kv.users ADD COLUMN handle kv.handle;

ALTER TABLE kv.users ADD CONSTRAINT users_handle_key UNIQUE (handle);

CREATE FUNCTION kv.pref(u kv.users, key text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT u.prefs -> key $$;

CREATE VIEW kv.user_prefs AS
  SELECT u.id, p.key, p.value
  FROM kv.users AS u
  CROSS JOIN LATERAL each(u.prefs) AS p;

COMMENT ON COLUMN kv.users.prefs IS 'Free-form settings, e.g. theme=>dark.';
