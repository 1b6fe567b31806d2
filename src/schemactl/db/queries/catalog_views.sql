-- Every view and materialized view with its owner, options (security_barrier,
-- security_invoker), definition and the privileges the API roles hold on it.
-- %(roles)s / %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    c.relname AS name,
    c.relkind::text AS kind,
    pg_get_userbyid(c.relowner) AS owner,
    coalesce(c.reloptions, '{}'::text[]) AS options,
    pg_get_viewdef(c.oid) AS definition,
    ARRAY(
        SELECT r.rolname || ' ' || pr.privilege
        FROM pg_roles AS r
        CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS pr (privilege)
        WHERE r.rolname = ANY (%(roles)s)
          AND CASE
              WHEN pr.privilege = 'DELETE' THEN has_table_privilege(r.oid, c.oid, pr.privilege)
              ELSE has_any_column_privilege(r.oid, c.oid, pr.privilege)
          END
        ORDER BY 1
    ) AS privileges
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
