-- Bandwidth policies: time rules, priority lanes and egress limits per project.
CREATE TABLE bandwidth_policies (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a policy outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,

  -- Rules
  time_rules JSONB DEFAULT '[]',
  priority_lanes JSONB DEFAULT '{}',

  -- Limits
  max_egress_gb_per_day BIGINT CHECK (max_egress_gb_per_day >= 0),
  preferred_transfer_window TEXT,

  enabled BOOLEAN DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX bandwidth_policies_project_id_idx ON bandwidth_policies (project_id);
