-- Introspect: user triggers of tables and views; a partition's clone of its parent's trigger
-- comes with the parent.
SELECT n.nspname::text AS schema, c.relname::text AS "table", t.tgname::text AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled
FROM pg_trigger AS t
JOIN pg_class AS c ON c.oid = t.tgrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
