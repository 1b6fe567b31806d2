-- Introspect: ALTER DEFAULT PRIVILEGES entries, exploded; global entries (no schema) and
-- those of a managed schema. Grants to the entry's own role are left out. The role is NULL
-- when it is the role that builds the schema (the session's role, or the owner of the
-- entry's schema, of any managed schema for a global entry): entries written without
-- FOR ROLE compare equal whoever applied them; other roles' entries keep their role.
-- A global entry replaces PostgreSQL's defaults (EXECUTE on functions, USAGE on types for
-- PUBLIC): a default it does not keep is a row with revoked = true, and PUBLIC's default
-- spelled out is no row.
WITH entries AS (
    SELECT d.*, n.nspname,
           CASE WHEN d.defaclrole = current_user::regrole
                  OR EXISTS (SELECT FROM pg_namespace AS o
                             WHERE o.nspowner = d.defaclrole AND o.nspname = ANY (%(schemas)s)
                               AND (d.defaclnamespace = 0 OR o.oid = d.defaclnamespace))
                THEN NULL ELSE pg_get_userbyid(d.defaclrole)::text END AS role
    FROM pg_default_acl AS d
    LEFT JOIN pg_namespace AS n ON n.oid = d.defaclnamespace
    WHERE n.oid IS NULL OR n.nspname = ANY (%(schemas)s)
)
SELECT e.role, e.nspname::text AS schema,
       CASE e.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
            WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS object_type,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable, false AS revoked
FROM entries AS e
CROSS JOIN LATERAL aclexplode(e.defaclacl) AS x
WHERE x.grantee <> e.defaclrole
  AND NOT (e.defaclnamespace = 0 AND x.grantee = 0 AND NOT x.is_grantable
           AND (e.defaclobjtype, x.privilege_type) IN (('f', 'EXECUTE'), ('T', 'USAGE')))
UNION ALL
SELECT e.role, NULL,
       CASE e.defaclobjtype WHEN 'f' THEN 'FUNCTIONS' ELSE 'TYPES' END,
       'PUBLIC', x.privilege_type, false, true
FROM entries AS e
CROSS JOIN LATERAL aclexplode(acldefault(e.defaclobjtype, e.defaclrole)) AS x
WHERE e.defaclnamespace = 0 AND e.defaclobjtype IN ('f', 'T') AND x.grantee = 0
  AND NOT EXISTS (SELECT FROM aclexplode(e.defaclacl) AS y
                  WHERE y.grantee = 0 AND y.privilege_type = x.privilege_type)
