-- Snapshot: domains (their CHECK constraints are in snapshot_constraints).
SELECT
    t.oid::regtype::text AS name,
    format_type(t.typbasetype, t.typtypmod) AS base_type,
    t.typnotnull AS not_null,
    t.typdefault AS "default",
    CASE WHEN t.typcollation <> bt.typcollation
        THEN t.typcollation::regcollation::text END AS collation,
    pg_get_userbyid(t.typowner)::text AS owner,
    CASE WHEN t.typacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(t.typacl) AS a ORDER BY 1) END AS acl
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_type AS bt ON bt.oid = t.typbasetype
WHERE t.typtype = 'd'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
