-- UNLOGGED, storage parameters, tablespace.
-- expect: ok
CREATE UNLOGGED TABLE IF NOT EXISTS cache (k text PRIMARY KEY, v bytea) WITH (fillfactor = 70, autovacuum_enabled = false) TABLESPACE pg_default;
