-- Snapshot: triggers (also the clones on partitions; not the internal ones behind foreign
-- keys) by their full definition, and whether they are enabled.
SELECT
    t.tgrelid::regclass::text AS "table",
    quote_ident(t.tgname) AS name,
    pg_get_triggerdef(t.oid) AS definition,
    t.tgenabled AS enabled
FROM pg_trigger AS t
JOIN pg_class AS c ON c.oid = t.tgrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
