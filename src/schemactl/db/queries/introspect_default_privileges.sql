-- Introspect: ALTER DEFAULT PRIVILEGES entries, exploded; global entries (no schema) and
-- those of a managed schema. The role the entry is for, and grants to it, are left out.
-- A global entry replaces PostgreSQL's defaults (EXECUTE on functions, USAGE on types for
-- PUBLIC): a default it does not keep is a row with revoked = true.
SELECT n.nspname::text AS schema,
       CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
            WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS object_type,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable, false AS revoked
FROM pg_default_acl AS d
LEFT JOIN pg_namespace AS n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) AS x
WHERE (n.oid IS NULL OR n.nspname = ANY (%(schemas)s))
  AND x.grantee <> d.defaclrole
  -- PUBLIC's default in a global entry is no grant: the same as no entry
  AND NOT (d.defaclnamespace = 0 AND x.grantee = 0 AND NOT x.is_grantable
           AND (d.defaclobjtype, x.privilege_type) IN (('f', 'EXECUTE'), ('T', 'USAGE')))
UNION ALL
SELECT NULL,
       CASE d.defaclobjtype WHEN 'f' THEN 'FUNCTIONS' ELSE 'TYPES' END,
       'PUBLIC', x.privilege_type, false, true
FROM pg_default_acl AS d
CROSS JOIN LATERAL aclexplode(acldefault(d.defaclobjtype, d.defaclrole)) AS x
WHERE d.defaclnamespace = 0 AND d.defaclobjtype IN ('f', 'T') AND x.grantee = 0
  AND NOT EXISTS (SELECT FROM aclexplode(d.defaclacl) AS y
                  WHERE y.grantee = 0 AND y.privilege_type = x.privilege_type)
