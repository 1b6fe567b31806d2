-- Every ordinary and partitioned table with its RLS switches, owner, partition parent
-- and the privileges the API roles hold on it.
-- SELECT/INSERT/UPDATE use has_any_column_privilege: a grant on some columns is enough to
-- read or write the table. %(roles)s / %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    c.relname AS name,
    c.relkind::text AS kind,
    pg_get_userbyid(c.relowner) AS owner,
    c.relrowsecurity AS rls_enabled,
    c.relforcerowsecurity AS rls_forced,
    c.relispartition AS is_partition,
    pn.nspname AS parent_schema,
    p.relname AS parent_name,
    coalesce(c.reloptions, '{}'::text[]) AS options,
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
LEFT JOIN pg_inherits AS i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class AS p ON p.oid = i.inhparent
LEFT JOIN pg_namespace AS pn ON pn.oid = p.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
