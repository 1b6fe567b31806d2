-- Permission delegations: from_user grants a project role to to_user for a time window.
CREATE TABLE permission_delegations (
  -- DEFAULT: the spec had none, so every insert had to invent an id.
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NOT NULL + CASCADE: a delegation needs both users and dies with either of them.
  from_user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  to_user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  scope TEXT,
  permissions JSONB,
  valid_from TIMESTAMPTZ,
  valid_until TIMESTAMPTZ,
  reason TEXT,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);

CREATE INDEX permission_delegations_from_user_id_idx ON permission_delegations (from_user_id);
CREATE INDEX permission_delegations_to_user_id_idx ON permission_delegations (to_user_id);
