-- Every row level security policy with its command, roles, kind and expressions as text.
-- %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    p.schemaname::text AS schema,
    p.tablename::text AS "table",
    p.policyname::text AS name,
    p.cmd AS command,
    p.permissive = 'PERMISSIVE' AS permissive,
    p.roles::text[] AS roles,
    p.qual AS using_expr,
    p.with_check AS check_expr
FROM pg_policies AS p
WHERE left(p.schemaname, 3) <> 'pg_'
  AND p.schemaname <> ALL (%(exclude_schemas)s)
ORDER BY p.schemaname, p.tablename, p.policyname
