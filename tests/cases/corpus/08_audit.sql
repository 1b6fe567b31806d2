-- Audit: statement-level audit triggers with transition tables, and DDL event triggers
-- (a log of schema changes and a guard against dropping tables).

CREATE SCHEMA audit;

CREATE TABLE audit.row_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  op text NOT NULL,
  rows_affected integer NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE audit.ddl_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  command_tag text NOT NULL,
  object_identity text,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION audit.count_changes() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO audit.row_changes (table_name, op, rows_affected)
  SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, count(*) FROM changed;
  RETURN NULL;
END
$$;

CREATE TABLE accounts (
  id integer PRIMARY KEY,
  owner text NOT NULL,
  balance numeric(14, 2) NOT NULL DEFAULT 0
);

CREATE TRIGGER accounts_audit_insert AFTER INSERT ON accounts
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION audit.count_changes();

CREATE TRIGGER accounts_audit_delete AFTER DELETE ON accounts
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION audit.count_changes();

CREATE FUNCTION audit.log_ddl() RETURNS event_trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    INSERT INTO audit.ddl_log (command_tag, object_identity)
    VALUES (r.command_tag, r.object_identity);
  END LOOP;
END
$$;

CREATE EVENT TRIGGER corpus_audit_log_ddl ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE', 'CREATE INDEX')
  EXECUTE FUNCTION audit.log_ddl();

CREATE FUNCTION audit.no_drop_table() RETURNS event_trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('audit.allow_drop', true), '') <> 'on' THEN
    RAISE EXCEPTION 'DROP TABLE is disabled here (set audit.allow_drop = on)';
  END IF;
END
$$;

CREATE EVENT TRIGGER corpus_audit_no_drop ON ddl_command_start
  WHEN TAG IN ('DROP TABLE')
  EXECUTE FUNCTION audit.no_drop_table();

ALTER EVENT TRIGGER corpus_audit_no_drop ENABLE ALWAYS;

COMMENT ON EVENT TRIGGER corpus_audit_log_ddl IS 'Every table and index change, for the weekly review.';
