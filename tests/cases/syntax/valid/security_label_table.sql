-- SECURITY LABEL FOR a provider ON TABLE.
-- expect: ok
SECURITY LABEL FOR selinux ON TABLE accounts IS 'system_u:object_r:sepgsql_table_t:s0';
