-- Every column of every table, partition, view and materialized view, with the API roles
-- that may SELECT it (has_column_privilege: a table-level or a column-level grant).
-- %(roles)s / %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    c.relname AS relation,
    a.attname AS name,
    a.attnum AS position,
    format_type(a.atttypid, a.atttypmod) AS data_type,
    a.attnotnull AS not_null,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
    ARRAY(
        SELECT r.rolname::text
        FROM pg_roles AS r
        WHERE r.rolname = ANY (%(roles)s)
          AND has_column_privilege(r.oid, c.oid, a.attnum, 'SELECT')
        ORDER BY r.rolname
    ) AS select_roles
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.relname, a.attnum
