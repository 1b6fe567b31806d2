-- Snapshot: GRANT role TO role where either side matches the roles pattern, with the grant's
-- options (admin on every version; inherit and set from PostgreSQL 16, read through jsonb).
SELECT
    quote_ident(pg_get_userbyid(m.roleid)) AS role,
    quote_ident(pg_get_userbyid(m.member)) AS member,
    quote_ident(pg_get_userbyid(m.grantor)) AS grantor,
    m.admin_option AS admin,
    (to_jsonb(m) - ARRAY['oid', 'roleid', 'member', 'grantor', 'admin_option'])::text AS options
FROM pg_auth_members AS m
WHERE pg_get_userbyid(m.roleid) LIKE %(roles)s
   OR pg_get_userbyid(m.member) LIKE %(roles)s
