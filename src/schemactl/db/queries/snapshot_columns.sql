-- Snapshot: columns of tables, views and materialized views, by name: their position is
-- left out (the order of ALTER TABLE ... ADD COLUMN is not known from shuffled files).
-- Storage is shown only where it differs from the type's default. Attribute options named
-- pg_* cannot be set by users (ALTER ... SET refuses them): some builds stamp one on every new
-- column (pg_attver=<counter> on the Debian PostgreSQL 15 of CI), so they are left out.
SELECT
    c.oid::regclass::text AS "table",
    quote_ident(a.attname) AS name,
    format_type(a.atttypid, a.atttypmod) AS data_type,
    a.attnotnull AS not_null,
    pg_get_expr(ad.adbin, ad.adrelid) AS "default",
    NULLIF(a.attidentity, '') AS identity,
    NULLIF(a.attgenerated, '') AS generated,
    CASE WHEN a.attcollation <> t.typcollation
        THEN a.attcollation::regcollation::text END AS collation,
    CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
    NULLIF(a.attcompression, '') AS compression,
    NULLIF(a.attstattarget, -1) AS statistics_target,
    a.attislocal AS is_local,
    a.attinhcount AS inherited_count,
    ARRAY(SELECT o FROM unnest(a.attoptions) AS o WHERE o !~ '^pg_' ORDER BY 1) AS options,
    ARRAY(SELECT o FROM unnest(a.attfdwoptions) AS o ORDER BY 1) AS foreign_options,
    CASE WHEN a.attacl IS NOT NULL
        THEN ARRAY(SELECT x::text FROM unnest(a.attacl) AS x ORDER BY 1) END AS acl
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
