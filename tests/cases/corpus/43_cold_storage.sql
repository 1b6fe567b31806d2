-- Cold storage: a table access method and a table using it, a conversion, per-column
-- storage and compression, TOAST and autovacuum settings.

CREATE ACCESS METHOD heap_archive TYPE TABLE HANDLER heap_tableam_handler;

CREATE TABLE archived_events (
  id bigint PRIMARY KEY,
  payload jsonb NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now()
) USING heap_archive;

ALTER TABLE archived_events ALTER COLUMN payload SET COMPRESSION pglz;

ALTER TABLE archived_events SET (toast.autovacuum_enabled = false, autovacuum_enabled = false);

CREATE TABLE attachments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES archived_events (id),
  filename text NOT NULL,
  content bytea NOT NULL
);

ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE CONVERSION latin1_to_utf8_import FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;

CREATE INDEX archived_events_archived_at_brin ON archived_events USING brin (archived_at);

COMMENT ON ACCESS METHOD heap_archive IS 'heap, kept apart so archive tables are easy to find.';

COMMENT ON CONVERSION latin1_to_utf8_import IS 'For the 2009 CSV exports.';
