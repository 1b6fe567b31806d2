-- Introspect: every schema that is not PostgreSQL's own or an extension's; the caller picks
-- the managed ones among them.
SELECT n.nspname::text AS name
FROM pg_namespace AS n
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
ORDER BY 1
