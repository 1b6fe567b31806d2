-- Snapshot: enum types, labels in their sort order (ADD VALUE ... BEFORE/AFTER counts).
SELECT
    t.oid::regtype::text AS name,
    ARRAY(SELECT e.enumlabel::text FROM pg_enum AS e
          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
    pg_get_userbyid(t.typowner)::text AS owner,
    CASE WHEN t.typacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(t.typacl) AS a ORDER BY 1) END AS acl
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
