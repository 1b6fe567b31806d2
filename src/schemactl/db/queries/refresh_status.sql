-- The last refresh of each view in schemactl.refresh_log, and how many attempts were
-- skipped or failed since it. Parameter: the views' qualified names (text[]).
SELECT
  v.view_name,
  last.started_at,
  last.duration,
  last.rows,
  last.method,
  clock_timestamp() - (last.started_at + last.duration) AS staleness,
  (SELECT count(*) FROM schemactl.refresh_log f
    WHERE f.view_name = v.view_name AND f.outcome = 'failed'
      AND f.started_at > coalesce(last.started_at, '-infinity')) AS failed_since
FROM unnest(%(views)s::text[]) AS v(view_name)
LEFT JOIN LATERAL (
  SELECT l.started_at, l.duration, l.rows, l.method
  FROM schemactl.refresh_log l
  WHERE l.view_name = v.view_name AND l.outcome = 'refreshed'
  ORDER BY l.started_at DESC
  LIMIT 1
) last ON true
ORDER BY v.view_name
