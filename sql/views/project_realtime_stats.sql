-- Real-time dashboard stats, refreshed by refresh_realtime_stats().
CREATE MATERIALIZED VIEW project_realtime_stats AS
SELECT
  p.id AS project_id,
  COUNT(DISTINCT a.id) AS total_agents,
  COUNT(DISTINCT CASE WHEN ah.status = 'online' THEN a.id END) AS online_agents,
  COUNT(DISTINCT at.id) AS active_transfers,
  COALESCE(SUM(at.throughput_mbps), 0) AS total_throughput_mbps,
  -- The spec's SUM(text)::BIGINT does not exist: cast each value, then sum.
  COALESCE(SUM((att.metrics->>'bytes_transferred')::BIGINT), 0) AS bytes_today
FROM projects p
LEFT JOIN agents a ON a.project_id = p.id
LEFT JOIN agent_heartbeats ah ON ah.agent_id = a.id
LEFT JOIN active_transfers at ON at.project_id = p.id
LEFT JOIN LATERAL (
  SELECT agent_id, metrics
  FROM agent_telemetry
  WHERE agent_id = a.id
    AND timestamp > NOW() - INTERVAL '24 hours'
  ORDER BY timestamp DESC
  LIMIT 1
) att ON true
GROUP BY p.id;

-- REFRESH MATERIALIZED VIEW CONCURRENTLY requires a unique index on the view.
CREATE UNIQUE INDEX project_realtime_stats_project_id_key ON project_realtime_stats (project_id);
