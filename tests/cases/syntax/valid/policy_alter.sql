-- ALTER POLICY roles and expressions.
-- expect: ok
ALTER POLICY update_own ON accounts TO authenticated, service_role USING (true) WITH CHECK (true);
