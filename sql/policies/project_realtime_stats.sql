-- project_realtime_stats is a materialized view: it cannot have RLS, so anon and signed-in
-- users get no direct access at all (contract: docs/rls.md). Signed-in users read their
-- projects' rows through public.project_realtime_stats_for_me().
REVOKE ALL ON public.project_realtime_stats FROM anon, authenticated, PUBLIC;

GRANT SELECT ON public.project_realtime_stats TO service_role;

-- Refreshing is a job for the platform, not for any signed-in user (it is expensive).
REVOKE ALL ON FUNCTION public.refresh_realtime_stats() FROM PUBLIC, anon, authenticated;

GRANT EXECUTE ON FUNCTION public.refresh_realtime_stats() TO service_role;
