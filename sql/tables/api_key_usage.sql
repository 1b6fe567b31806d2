-- API usage logs, one row per request made with a key.
CREATE TABLE api_key_usage (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL: a usage row without its key cannot be attributed to any tenant.
  api_key_id UUID NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  endpoint TEXT NOT NULL,
  method TEXT NOT NULL,
  status_code INT,
  ip_address INET,
  user_agent TEXT,
  request_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Leads with the foreign key; usage is read per key, newest first.
CREATE INDEX api_key_usage_api_key_id_idx ON api_key_usage (api_key_id, created_at DESC);
