-- Scheduler: objects owned by application roles (CREATE SCHEMA AUTHORIZATION, OWNER TO on
-- schemas, tables, a serial's table, views, functions, types, materialized views, sequences).

DO $$
BEGIN
  CREATE ROLE corpus_jobs_owners_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_jobs_owners_ops NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA app AUTHORIZATION corpus_jobs_owners_app;

CREATE SCHEMA ops;

ALTER SCHEMA ops OWNER TO corpus_jobs_owners_ops;

CREATE TABLE app.settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL DEFAULT '{}'
);

ALTER TABLE app.settings OWNER TO corpus_jobs_owners_app;

GRANT SELECT ON app.settings TO corpus_jobs_owners_ops;

CREATE TABLE app.jobs (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  schedule text NOT NULL
);

ALTER TABLE app.jobs OWNER TO corpus_jobs_owners_app;

CREATE VIEW ops.job_overview AS
  SELECT j.name, j.schedule FROM app.jobs AS j;

ALTER VIEW ops.job_overview OWNER TO corpus_jobs_owners_ops;

CREATE FUNCTION app.setting(k text) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$ SELECT s.value FROM app.settings AS s WHERE s.key = k $$;

ALTER FUNCTION app.setting(text) OWNER TO corpus_jobs_owners_app;

CREATE TYPE app.job_state AS ENUM ('idle', 'running');

ALTER TYPE app.job_state OWNER TO corpus_jobs_owners_app;

CREATE MATERIALIZED VIEW ops.job_counts AS
  SELECT count(*) AS jobs FROM app.jobs;

ALTER MATERIALIZED VIEW ops.job_counts OWNER TO corpus_jobs_owners_ops;

CREATE SEQUENCE ops.ticket_no;

ALTER SEQUENCE ops.ticket_no OWNER TO corpus_jobs_owners_ops;
