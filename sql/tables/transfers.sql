-- File transfers between two agents of a project.
CREATE TABLE transfers (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a transfer outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  source_agent_id UUID REFERENCES agents(id),
  destination_agent_id UUID REFERENCES agents(id),

  -- Transfer details
  file_name TEXT NOT NULL,
  file_size BIGINT NOT NULL CHECK (file_size >= 0),
  file_hash TEXT,

  -- Status tracking
  status TEXT NOT NULL DEFAULT 'pending',
  priority TEXT DEFAULT 'medium',
  progress FLOAT DEFAULT 0,

  -- Performance metrics
  throughput_mbps FLOAT,
  bytes_transferred BIGINT DEFAULT 0 CHECK (bytes_transferred >= 0),

  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,

  -- Metadata
  error_message TEXT,
  metadata JSONB DEFAULT '{}'
);

-- Leads with project_id, so it also indexes the project foreign key.
CREATE INDEX idx_transfers_project_status ON transfers (project_id, status);
CREATE INDEX idx_transfers_created ON transfers (created_at DESC);
CREATE INDEX transfers_source_agent_id_idx ON transfers (source_agent_id);
CREATE INDEX transfers_destination_agent_id_idx ON transfers (destination_agent_id);
