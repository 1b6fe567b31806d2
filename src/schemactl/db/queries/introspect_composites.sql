-- Introspect: composite types made by CREATE TYPE ... AS (...), attributes in order (type and
-- collation, when not the type's).
SELECT n.nspname::text AS schema, t.typname::text AS name,
       ARRAY(SELECT ARRAY[a.attname::text, format_type(a.atttypid, a.atttypmod)
                          || CASE WHEN a.attcollation <> at.typcollation
                                  THEN ' COLLATE ' || a.attcollation::regcollation::text
                                  ELSE '' END]
             FROM pg_attribute AS a
             JOIN pg_type AS at ON at.oid = a.atttypid
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attributes
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_class AS c ON c.oid = t.typrelid
WHERE t.typtype = 'c' AND c.relkind = 'c'
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
