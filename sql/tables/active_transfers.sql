-- Active transfers for real-time monitoring (written by agents through service_role).
CREATE TABLE active_transfers (
  id UUID PRIMARY KEY,
  agent_id UUID REFERENCES agents(id) ON DELETE CASCADE,
  -- Denormalized for performance (RLS filters on it without joining agents).
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  started_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  status TEXT NOT NULL,
  progress FLOAT,
  throughput_mbps FLOAT,
  eta_seconds INT,
  metadata JSONB
);

CREATE INDEX active_transfers_agent_id_idx ON active_transfers (agent_id);
CREATE INDEX active_transfers_project_id_idx ON active_transfers (project_id);

CREATE TRIGGER active_transfers_set_updated_at
  BEFORE UPDATE ON active_transfers
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
