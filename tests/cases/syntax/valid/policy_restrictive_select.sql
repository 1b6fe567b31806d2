-- A restrictive SELECT policy for several roles.
-- expect: ok
CREATE POLICY tenant_only ON accounts AS RESTRICTIVE FOR SELECT TO authenticated, PUBLIC USING (tenant_id = current_setting('app.tenant')::uuid);
