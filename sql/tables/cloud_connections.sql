-- Cloud storage connections (credentials stored encrypted).
CREATE TABLE cloud_connections (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a connection outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  provider TEXT CHECK (provider IN ('s3', 'gcs', 'azure', 'wasabi', 'backblaze')),

  -- Encrypted credentials
  credentials_encrypted JSONB NOT NULL,

  -- Configuration
  region TEXT,
  endpoint_url TEXT,
  options JSONB DEFAULT '{}',

  -- Validation
  last_validated_at TIMESTAMPTZ,
  validation_status TEXT,

  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX cloud_connections_project_id_idx ON cloud_connections (project_id);
