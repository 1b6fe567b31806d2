-- Snapshot: the operators (strategy numbers) and support functions of every operator family
-- of the schema, whether added by CREATE OPERATOR CLASS or ALTER OPERATOR FAMILY ... ADD.
SELECT
    am.amname::text AS access_method,
    quote_ident(n.nspname) || '.' || quote_ident(f.opfname) AS family,
    'operator' AS kind,
    o.amopstrategy AS number,
    o.amoplefttype::regtype::text AS left_type,
    o.amoprighttype::regtype::text AS right_type,
    o.amopopr::regoperator::text
        || CASE WHEN o.amoppurpose = 'o'
                THEN ' FOR ORDER BY ' || o.amopsortfamily::regclass::text ELSE '' END AS member
FROM pg_amop AS o
JOIN pg_opfamily AS f ON f.oid = o.amopfamily
JOIN pg_am AS am ON am.oid = f.opfmethod
JOIN pg_namespace AS n ON n.oid = f.opfnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_opfamily'::regclass AND d.objid = f.oid AND d.deptype = 'e')
UNION ALL
SELECT
    am.amname::text,
    quote_ident(n.nspname) || '.' || quote_ident(f.opfname),
    'function',
    p.amprocnum,
    p.amproclefttype::regtype::text,
    p.amprocrighttype::regtype::text,
    p.amproc::regprocedure::text
FROM pg_amproc AS p
JOIN pg_opfamily AS f ON f.oid = p.amprocfamily
JOIN pg_am AS am ON am.oid = f.opfmethod
JOIN pg_namespace AS n ON n.oid = f.opfnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_opfamily'::regclass AND d.objid = f.oid AND d.deptype = 'e')
