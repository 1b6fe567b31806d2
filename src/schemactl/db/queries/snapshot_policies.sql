-- Snapshot: row level security policies: command, permissive or restrictive, roles (sorted),
-- USING and WITH CHECK expressions.
SELECT
    p.polrelid::regclass::text AS "table",
    quote_ident(p.polname) AS name,
    p.polcmd AS command,
    p.polpermissive AS permissive,
    ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END
          FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
    pg_get_expr(p.polqual, p.polrelid) AS using_expr,
    pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
FROM pg_policy AS p
JOIN pg_class AS c ON c.oid = p.polrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
