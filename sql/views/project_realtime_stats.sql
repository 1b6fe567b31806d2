-- Real-time dashboard stats, refreshed by refresh_realtime_stats() or `schemactl refresh`.
-- Each source is aggregated in its own subquery, then joined to projects one row each:
-- the spec's single join of agents x active transfers counted each transfer's throughput
-- once per agent of the project, and each agent's bytes once per active transfer.
-- bytes_today keeps the spec's meaning: per agent, bytes_transferred of its latest
-- telemetry row of the last 24 hours, summed over the project's agents.
CREATE MATERIALIZED VIEW project_realtime_stats AS
SELECT
  p.id AS project_id,
  COALESCE(ag.total_agents, 0) AS total_agents,
  COALESCE(ag.online_agents, 0) AS online_agents,
  COALESCE(tr.active_transfers, 0) AS active_transfers,
  COALESCE(tr.total_throughput_mbps, 0) AS total_throughput_mbps,
  -- The spec's SUM(text)::BIGINT does not exist: cast each value, then sum.
  COALESCE(tel.bytes_today, 0) AS bytes_today
FROM projects p
LEFT JOIN (
  SELECT
    a.project_id,
    COUNT(*) AS total_agents,
    COUNT(*) FILTER (WHERE ah.status = 'online') AS online_agents
  FROM agents a
  LEFT JOIN agent_heartbeats ah ON ah.agent_id = a.id
  GROUP BY a.project_id
) ag ON ag.project_id = p.id
LEFT JOIN (
  SELECT
    tx.project_id,
    COUNT(*) AS active_transfers,
    SUM(tx.throughput_mbps) AS total_throughput_mbps
  FROM active_transfers tx
  GROUP BY tx.project_id
) tr ON tr.project_id = p.id
LEFT JOIN (
  SELECT
    a.project_id,
    SUM((latest.metrics->>'bytes_transferred')::BIGINT) AS bytes_today
  FROM agents a
  CROSS JOIN LATERAL (
    SELECT t.metrics
    FROM agent_telemetry t
    WHERE t.agent_id = a.id
      AND t.timestamp > NOW() - INTERVAL '24 hours'
    ORDER BY t.timestamp DESC
    LIMIT 1
  ) latest
  GROUP BY a.project_id
) tel ON tel.project_id = p.id;

-- REFRESH MATERIALIZED VIEW CONCURRENTLY requires a unique index on the view.
CREATE UNIQUE INDEX project_realtime_stats_project_id_key ON project_realtime_stats (project_id);
