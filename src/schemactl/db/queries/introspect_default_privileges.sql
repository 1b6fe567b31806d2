-- Introspect: ALTER DEFAULT PRIVILEGES entries, exploded; global entries (no schema) and
-- those of a managed schema. The role the entry is for, and grants to it, are left out.
SELECT n.nspname::text AS schema,
       CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
            WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS object_type,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable
FROM pg_default_acl AS d
LEFT JOIN pg_namespace AS n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) AS x
WHERE (n.oid IS NULL OR n.nspname = ANY (%(schemas)s))
  AND x.grantee <> d.defaclrole
