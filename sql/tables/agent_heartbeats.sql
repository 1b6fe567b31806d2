-- Agent heartbeats for online/offline status (one row per agent, overwritten).
CREATE TABLE agent_heartbeats (
  agent_id UUID PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  last_ping TIMESTAMPTZ DEFAULT NOW(),
  status TEXT DEFAULT 'online',
  version TEXT,
  ip_address INET,
  metrics JSONB DEFAULT '{}'
);

CREATE INDEX idx_heartbeat_status ON agent_heartbeats (status, last_ping DESC);
