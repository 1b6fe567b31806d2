-- Refresh the dashboard stats without blocking readers (meant to run every 10 seconds).
-- CONCURRENTLY needs the unique index on project_realtime_stats (project_id).
-- SECURITY DEFINER: only the view's owner may REFRESH it, and the job calling this runs
-- as service_role (EXECUTE is granted to it alone in sql/policies/project_realtime_stats.sql).
CREATE OR REPLACE FUNCTION public.refresh_realtime_stats()
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY public.project_realtime_stats;
END;
$$;
