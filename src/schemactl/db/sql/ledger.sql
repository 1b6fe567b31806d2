-- schemactl's own bookkeeping: which files were applied, by which run.
CREATE SCHEMA IF NOT EXISTS schemactl;
REVOKE ALL ON SCHEMA schemactl FROM PUBLIC;
CREATE TABLE IF NOT EXISTS schemactl.runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  tool_version  text NOT NULL,
  server_version integer NOT NULL DEFAULT current_setting('server_version_num')::integer,
  role          name NOT NULL DEFAULT current_user,
  session_role  name NOT NULL DEFAULT session_user,
  sql_dir       text NOT NULL,
  statements    integer NOT NULL,
  auth_shim     boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS schemactl.applied_files (
  path        text PRIMARY KEY,
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  run_id      bigint NOT NULL REFERENCES schemactl.runs (id),
  applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS applied_files_run_id_idx ON schemactl.applied_files (run_id);
-- how a run changed the schema: 'files' (the ordered files, first apply), 'diff' (apply
-- evolving a database from its files), 'plan' (apply --plan); and what ran, in order
ALTER TABLE schemactl.runs ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'files';
ALTER TABLE schemactl.runs ADD COLUMN IF NOT EXISTS plan_sha256 text;
CREATE TABLE IF NOT EXISTS schemactl.run_statements (
  run_id    bigint NOT NULL REFERENCES schemactl.runs (id),
  position  integer NOT NULL,
  statement text NOT NULL,
  PRIMARY KEY (run_id, position)
);
