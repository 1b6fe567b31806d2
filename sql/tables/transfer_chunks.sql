-- Transfer chunks for resume capability.
CREATE TABLE transfer_chunks (
  id UUID DEFAULT gen_random_uuid(),
  transfer_id UUID REFERENCES transfers(id) ON DELETE CASCADE,
  chunk_index INT NOT NULL CHECK (chunk_index >= 0),
  chunk_size BIGINT NOT NULL CHECK (chunk_size >= 0),
  chunk_hash TEXT NOT NULL,
  status TEXT DEFAULT 'pending',
  attempts INT DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  -- Leads with transfer_id, so it also indexes the transfer foreign key.
  PRIMARY KEY (transfer_id, chunk_index)
);
