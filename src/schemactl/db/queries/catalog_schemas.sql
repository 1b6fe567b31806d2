-- Every user schema with its owner and the API roles that have USAGE on it.
-- %(roles)s: role names to probe (missing roles are skipped);
-- %(exclude_schemas)s: schema names to leave out (pg_* schemas are always left out).
SELECT
    n.nspname AS name,
    pg_get_userbyid(n.nspowner) AS owner,
    ARRAY(
        SELECT r.rolname::text
        FROM pg_roles AS r
        WHERE r.rolname = ANY (%(roles)s) AND has_schema_privilege(r.oid, n.oid, 'USAGE')
        ORDER BY r.rolname
    ) AS usage_roles
FROM pg_namespace AS n
WHERE left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname
