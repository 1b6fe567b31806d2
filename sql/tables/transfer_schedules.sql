-- Scheduled transfers (cron, interval or event driven).
CREATE TABLE transfer_schedules (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a schedule outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  source_agent_id UUID REFERENCES agents(id),
  destination_agent_id UUID REFERENCES agents(id),

  -- Schedule configuration
  schedule_type TEXT CHECK (schedule_type IN ('cron', 'interval', 'event')),
  cron_expression TEXT,
  interval_seconds INT CHECK (interval_seconds > 0),
  event_trigger JSONB,

  -- Transfer configuration
  source_path TEXT NOT NULL,
  destination_path TEXT NOT NULL,
  transfer_options JSONB DEFAULT '{}',

  -- State
  enabled BOOLEAN DEFAULT true,
  last_run_at TIMESTAMPTZ,
  next_run_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX transfer_schedules_project_id_idx ON transfer_schedules (project_id);
CREATE INDEX transfer_schedules_source_agent_id_idx ON transfer_schedules (source_agent_id);
CREATE INDEX transfer_schedules_destination_agent_id_idx
  ON transfer_schedules (destination_agent_id);
-- The scheduler polls for due, enabled schedules.
CREATE INDEX transfer_schedules_next_run_at_idx ON transfer_schedules (next_run_at)
  WHERE enabled;
