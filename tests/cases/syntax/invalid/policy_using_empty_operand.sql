-- A broken policy USING expression.
-- expect: error 5:21
-- server: 42601 syntax error at or near ")"
CREATE POLICY p ON t FOR SELECT
  USING (owner_id = );
