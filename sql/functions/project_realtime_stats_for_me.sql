-- The dashboard stats of the projects the caller reads. A materialized view cannot have RLS,
-- so signed-in users get no access to project_realtime_stats itself and read it through
-- this function (SECURITY DEFINER: it runs as the view's owner and filters by itself).
-- The columns are spelled out instead of RETURNS SETOF the view so that creating the
-- function does not depend on the view existing yet.
CREATE OR REPLACE FUNCTION public.project_realtime_stats_for_me()
RETURNS TABLE (
  project_id uuid,
  total_agents bigint,
  online_agents bigint,
  active_transfers bigint,
  total_throughput_mbps double precision,
  bytes_today numeric
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN QUERY
    SELECT s.project_id, s.total_agents, s.online_agents, s.active_transfers,
      s.total_throughput_mbps, s.bytes_today
    FROM public.project_realtime_stats AS s
    WHERE s.project_id IN (SELECT private.readable_project_ids());
END;
$$;

REVOKE ALL ON FUNCTION public.project_realtime_stats_for_me() FROM PUBLIC, anon;

GRANT EXECUTE ON FUNCTION public.project_realtime_stats_for_me() TO authenticated, service_role;
