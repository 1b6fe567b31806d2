-- schemactl refresh: the log of every refresh and the one function that does a refresh.
-- `schemactl refresh run`, the worker and pg_cron jobs all call schemactl.refresh_matview(),
-- so they share the single-flight lock and the log. Created on demand, idempotent.
CREATE SCHEMA IF NOT EXISTS schemactl;
REVOKE ALL ON SCHEMA schemactl FROM PUBLIC;
CREATE TABLE IF NOT EXISTS schemactl.refresh_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- schema-qualified and quoted as needed (format('%I.%I')): the oid changes when the
  -- view is re-created, its name does not
  view_name        text NOT NULL,
  started_at       timestamptz NOT NULL,
  duration         interval NOT NULL,
  -- rows in the view after the refresh; NULL unless refreshed
  rows             bigint,
  method           text NOT NULL CHECK (method IN ('concurrently', 'plain', 'none')),
  outcome          text NOT NULL CHECK (outcome IN ('refreshed', 'skipped', 'failed')),
  -- why it was skipped, or the error of a failed refresh
  reason           text,
  application_name text NOT NULL DEFAULT current_setting('application_name'),
  backend_pid      integer NOT NULL DEFAULT pg_backend_pid(),
  role             name NOT NULL DEFAULT current_user
);
CREATE INDEX IF NOT EXISTS refresh_log_view_name_started_at_idx
  ON schemactl.refresh_log (view_name, started_at DESC);

-- Refresh one materialized view, single-flight, and log it.
-- CONCURRENTLY when the view is populated and has a unique index PostgreSQL accepts for it
-- (btree, immediate, valid, no WHERE, plain columns), plain otherwise. Another session
-- refreshing the same view through this function holds the transaction-level advisory lock
-- (1548630729, view oid as int4): this call then skips at once. With fresh_since, a view
-- refreshed (by anyone) since that moment is skipped too: several workers on one schedule
-- refresh it once per tick. Log rows of the view older than 7 days are deleted.
CREATE OR REPLACE FUNCTION schemactl.refresh_matview(
  view regclass,
  fresh_since timestamptz DEFAULT NULL,
  OUT outcome text,
  OUT method text,
  OUT started_at timestamptz,
  OUT duration interval,
  OUT rows bigint,
  OUT reason text
)
LANGUAGE plpgsql
-- no SET search_path: the view's query (and the functions it calls) must see the caller's,
-- as with a plain REFRESH (PostgreSQL 17+ imposes pg_catalog, pg_temp on REFRESH itself);
-- this body names every relation with its schema instead
AS $fn$
#variable_conflict use_variable
DECLARE
  qualified text;
  populated boolean;
BEGIN
  SELECT format('%I.%I', n.nspname, c.relname), c.relispopulated
    INTO qualified, populated
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = view AND c.relkind = 'm';
  IF qualified IS NULL THEN
    RAISE EXCEPTION '% is not a materialized view', view USING ERRCODE = 'wrong_object_type';
  END IF;
  started_at := clock_timestamp();
  method := 'none';
  IF NOT pg_try_advisory_xact_lock(1548630729, view::oid::int4) THEN
    outcome := 'skipped';
    reason := 'another refresh of the view holds its lock';
  ELSIF fresh_since IS NOT NULL AND EXISTS (
    SELECT FROM schemactl.refresh_log l
    WHERE l.view_name = qualified AND l.outcome = 'refreshed' AND l.started_at >= fresh_since
  ) THEN
    outcome := 'skipped';
    reason := 'already refreshed since ' || fresh_since::text;
  ELSE
    IF populated AND EXISTS (
      SELECT FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = view AND i.indisunique AND i.indimmediate AND i.indisvalid
        AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts > 0
        AND ic.relam = (SELECT a.oid FROM pg_catalog.pg_am a WHERE a.amname = 'btree')
    ) THEN
      method := 'concurrently';
      EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', qualified);
    ELSE
      method := 'plain';
      EXECUTE format('REFRESH MATERIALIZED VIEW %s', qualified);
    END IF;
    -- REFRESH reports no row count
    EXECUTE format('SELECT count(*) FROM %s', qualified) INTO rows;
    outcome := 'refreshed';
  END IF;
  duration := clock_timestamp() - started_at;
  INSERT INTO schemactl.refresh_log (view_name, started_at, duration, rows, method, outcome, reason)
    VALUES (qualified, started_at, duration, rows, method, outcome, reason);
  DELETE FROM schemactl.refresh_log l
    WHERE l.view_name = qualified AND l.started_at < started_at - interval '7 days';
END
$fn$;
COMMENT ON FUNCTION schemactl.refresh_matview(regclass, timestamptz) IS 'schemactl refresh 2';
