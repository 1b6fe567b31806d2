-- External share links to a file, optionally password protected.
CREATE TABLE external_shares (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a share outside every project would be invisible to all tenants.
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- SET NULL: deleting the creating user must not fail nor delete the project's shares.
  created_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,

  -- Link details
  -- the share link itself: project members read it to hand it out (docs/rls.md)
  share_token TEXT UNIQUE NOT NULL, -- noqa: SEC006
  password_hash TEXT,

  -- File details
  file_name TEXT NOT NULL,
  file_size BIGINT NOT NULL CHECK (file_size >= 0),
  file_hash TEXT,

  -- Access controls
  max_downloads INT DEFAULT 1 CHECK (max_downloads >= 0),
  download_count INT DEFAULT 0 CHECK (download_count >= 0),
  expires_at TIMESTAMPTZ NOT NULL,
  require_email BOOLEAN DEFAULT false,
  allowed_emails TEXT[],

  -- Tracking
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_accessed_at TIMESTAMPTZ,
  access_logs JSONB DEFAULT '[]',

  status TEXT DEFAULT 'pending'
);

CREATE INDEX external_shares_project_id_idx ON external_shares (project_id);
CREATE INDEX external_shares_created_by_idx ON external_shares (created_by);
