-- Materialized views schemactl refresh manages: every one but those of PostgreSQL's own
-- schemas, of schemactl's schema and of extensions (pg_depend 'e').
SELECT
  c.oid::bigint AS oid,
  format('%I.%I', n.nspname, c.relname) AS qualified,
  c.relispopulated AS populated
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'm'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'schemactl')
  AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (
    SELECT FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
