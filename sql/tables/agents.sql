-- Transfer agents installed on customer machines; each belongs to one project.
CREATE TABLE agents (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: an agent outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  api_key_hash TEXT NOT NULL,
  version TEXT,
  platform TEXT,
  capabilities JSONB DEFAULT '{}',
  last_seen TIMESTAMPTZ,
  status TEXT DEFAULT 'offline',
  metadata JSONB DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX agents_project_id_idx ON agents (project_id);

CREATE TRIGGER agents_set_updated_at
  BEFORE UPDATE ON agents
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
