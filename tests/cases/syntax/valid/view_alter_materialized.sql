-- ALTER MATERIALIZED VIEW.
-- expect: ok
ALTER MATERIALIZED VIEW IF EXISTS daily_totals SET (autovacuum_enabled = false);
