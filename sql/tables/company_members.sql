-- Company membership: who belongs to which company, with which role.
CREATE TABLE company_members (
  company_id UUID REFERENCES companies(id) ON DELETE CASCADE,
  user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'billing_admin', 'admin', 'member')),
  permissions JSONB DEFAULT '{}', -- Override specific permissions
  -- SET NULL: deleting the inviting user must not fail nor remove the membership.
  invited_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  joined_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (company_id, user_id)
);

-- RLS looks memberships up by user ("my companies"); the primary key leads with company_id.
CREATE INDEX company_members_user_id_idx ON company_members (user_id, company_id);
CREATE INDEX company_members_invited_by_idx ON company_members (invited_by);
