-- COMMENT ON MATERIALIZED VIEW.
-- expect: ok
COMMENT ON MATERIALIZED VIEW daily_totals IS 'refreshed hourly';
