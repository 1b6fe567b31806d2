-- Refresh the dashboard stats without blocking readers (meant to run every 10 seconds).
-- CONCURRENTLY needs the unique index on project_realtime_stats (project_id).
CREATE OR REPLACE FUNCTION refresh_realtime_stats()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY public.project_realtime_stats;
END;
$$;
