-- Snapshot: composite types (CREATE TYPE ... AS (...)); attributes in their declared order,
-- which is part of the type (row constructors, casts from records).
SELECT
    t.oid::regtype::text AS name,
    ARRAY(
        SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attcollation <> at.typcollation
                    THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END
        FROM pg_attribute AS a
        JOIN pg_type AS at ON at.oid = a.atttypid
        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum) AS attributes,
    pg_get_userbyid(t.typowner)::text AS owner,
    CASE WHEN t.typacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(t.typacl) AS a ORDER BY 1) END AS acl
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_class AS c ON c.oid = t.typrelid
WHERE t.typtype = 'c' AND c.relkind = 'c'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
