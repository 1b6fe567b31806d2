-- Time-series telemetry data, partitioned by month (partitions: sql/partitions/).
CREATE TABLE agent_telemetry (
  id UUID DEFAULT gen_random_uuid(),
  agent_id UUID REFERENCES agents(id) ON DELETE CASCADE,
  -- Denormalized for performance (RLS filters on it without joining agents).
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  timestamp TIMESTAMPTZ DEFAULT NOW(),
  metrics JSONB NOT NULL,
  -- Leads with agent_id, so it also indexes the agent foreign key.
  PRIMARY KEY (agent_id, timestamp)
) PARTITION BY RANGE (timestamp);

CREATE INDEX idx_telemetry_time ON agent_telemetry (timestamp DESC);
CREATE INDEX idx_telemetry_agent ON agent_telemetry (agent_id, timestamp DESC);
CREATE INDEX agent_telemetry_project_id_idx ON agent_telemetry (project_id, timestamp DESC);
