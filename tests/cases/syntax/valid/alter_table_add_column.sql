-- ADD COLUMN IF NOT EXISTS with constraints.
-- expect: ok
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed'));
