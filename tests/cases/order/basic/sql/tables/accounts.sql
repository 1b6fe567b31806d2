-- Accounts belong to an organisation (defined in a file that sorts later).
CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  status account_status NOT NULL DEFAULT 'active',
  note text DEFAULT 'a;b',
  updated_at timestamptz DEFAULT now()
);
CREATE INDEX accounts_org_id_idx ON accounts (org_id);
CREATE TRIGGER accounts_set_updated_at BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
