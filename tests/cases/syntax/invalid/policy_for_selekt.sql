-- FOR SELEKT in a policy (issue 10).
-- expect: error 5:7
-- server: 42601 syntax error at or near "SELEKT"
CREATE POLICY p ON t
  FOR SELEKT
  USING (true);
