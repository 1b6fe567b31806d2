ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY "accounts read" ON accounts FOR SELECT TO authenticated
  USING (org_id IN (SELECT private.my_org_ids()));
