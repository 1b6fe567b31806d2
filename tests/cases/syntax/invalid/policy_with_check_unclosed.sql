-- A policy WITH CHECK expression missing a parenthesis.
-- expect: error 5:36
-- server: 42601 syntax error at or near ";"
CREATE POLICY p ON t FOR INSERT
  WITH CHECK (owner_id = auth.uid();
