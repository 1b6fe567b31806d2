-- Introspect: views and materialized views: query, options, columns, and the relations the
-- query reads (through its rewrite rule), to drop and recreate dependents in order.
SELECT n.nspname::text AS schema, c.relname::text AS name,
       rtrim(pg_get_viewdef(c.oid), ';') AS definition,
       c.relkind = 'm' AS materialized,
       ARRAY(SELECT o FROM unnest(c.reloptions) AS o ORDER BY 1) AS options,
       ARRAY(SELECT ARRAY[a.attname::text, format_type(a.atttypid, a.atttypmod)]
             FROM pg_attribute AS a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS columns,
       ARRAY(SELECT DISTINCT ARRAY[dn.nspname::text, dc.relname::text]
             FROM pg_rewrite AS r
             JOIN pg_depend AS d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                 AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
             JOIN pg_class AS dc ON dc.oid = d.refobjid
             JOIN pg_namespace AS dn ON dn.oid = dc.relnamespace
             WHERE r.ev_class = c.oid) AS depends_on
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
