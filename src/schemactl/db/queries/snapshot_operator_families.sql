-- Snapshot: operator families with their owner.
SELECT
    am.amname::text AS access_method,
    quote_ident(n.nspname) || '.' || quote_ident(f.opfname) AS name,
    pg_get_userbyid(f.opfowner)::text AS owner
FROM pg_opfamily AS f
JOIN pg_am AS am ON am.oid = f.opfmethod
JOIN pg_namespace AS n ON n.oid = f.opfnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_opfamily'::regclass AND d.objid = f.oid AND d.deptype = 'e')
