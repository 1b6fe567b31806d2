-- Audit log for compliance; append-only (enforced by policies, sql/policies/).
CREATE TABLE audit_log (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Nullable and NO ACTION as in the spec: events may have no company, and a company
  -- with an audit trail is not silently deleted.
  company_id UUID REFERENCES companies(id),
  -- SET NULL: deleting a user keeps the trail of what they did.
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  resource_type TEXT,
  resource_id UUID,
  details JSONB,
  ip_address INET,
  user_agent TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Leads with company_id, so it also indexes the company foreign key.
CREATE INDEX idx_audit_log_company ON audit_log (company_id, created_at DESC);
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id);
