-- COMMENT ON POLICY ... ON table.
-- expect: ok
COMMENT ON POLICY tenant_only ON accounts IS 'tenants see their own rows';
