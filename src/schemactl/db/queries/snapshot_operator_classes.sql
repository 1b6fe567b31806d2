-- Snapshot: operator classes (their operators and functions: snapshot_operator_families).
SELECT
    am.amname::text AS access_method,
    quote_ident(n.nspname) || '.' || quote_ident(c.opcname) AS name,
    c.opcintype::regtype::text AS for_type,
    c.opcdefault AS is_default,
    quote_ident(fn.nspname) || '.' || quote_ident(f.opfname) AS family,
    CASE WHEN c.opckeytype <> 0 THEN c.opckeytype::regtype::text END AS storage,
    pg_get_userbyid(c.opcowner)::text AS owner
FROM pg_opclass AS c
JOIN pg_am AS am ON am.oid = c.opcmethod
JOIN pg_namespace AS n ON n.oid = c.opcnamespace
JOIN pg_opfamily AS f ON f.oid = c.opcfamily
JOIN pg_namespace AS fn ON fn.oid = f.opfnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_opclass'::regclass AND d.objid = c.oid AND d.deptype = 'e')
