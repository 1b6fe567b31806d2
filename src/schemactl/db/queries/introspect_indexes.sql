-- Introspect: indexes of tables and materialized views that back no constraint and are not
-- a partition's copy of an index of its parent.
SELECT n.nspname::text AS schema, i.relname::text AS name,
       tn.nspname::text AS table_schema, t.relname::text AS "table",
       pg_get_indexdef(i.oid) AS definition, x.indisvalid AS valid
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS t ON t.oid = x.indrelid
JOIN pg_namespace AS n ON n.oid = i.relnamespace
JOIN pg_namespace AS tn ON tn.oid = t.relnamespace
WHERE t.relkind IN ('r', 'p', 'm')
  AND NOT i.relispartition
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_constraint AS con WHERE con.conindid = i.oid
                  AND con.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
