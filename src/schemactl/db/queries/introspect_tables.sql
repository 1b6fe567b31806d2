-- Introspect: plain and partitioned tables and partitions, with their columns in order.
-- Columns a partition inherits from its parent are left out (they come with the parent).
-- The columns of every table are read in one pass (joins and one GROUP BY), not by a
-- subquery per table: a fixed number of scans whatever the number of tables.
WITH tables AS (
    SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition, c.relpartbound,
           c.relrowsecurity, c.relforcerowsecurity, c.reloptions, n.nspname
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname = ANY (%(schemas)s)
      AND NOT EXISTS (
          SELECT FROM pg_depend AS d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
), columns AS (
    SELECT a.attrelid,
           array_agg(ARRAY[
                 a.attname::text,
                 format_type(a.atttypid, a.atttypmod),
                 a.attnotnull::text,
                 CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
                 NULLIF(a.attidentity, '')::text,
                 CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
                 CASE WHEN a.attcollation <> t.typcollation
                     THEN a.attcollation::regcollation::text END,
                 (a.attgenerated = 'v')::text,
                 -- the name of the NOT NULL constraint (PostgreSQL 18), for renames
                 nn.conname::text]
                 ORDER BY a.attnum) AS columns
    FROM tables AS c
    JOIN pg_attribute AS a ON a.attrelid = c.oid
    JOIN pg_type AS t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_constraint AS nn
        ON nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey = ARRAY[a.attnum]
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND (a.attislocal OR NOT c.relispartition)
    GROUP BY a.attrelid
)
SELECT c.nspname::text AS schema, c.relname::text AS name,
       c.relpersistence AS persistence,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT ARRAY[pn.nspname::text, p.relname::text]
        FROM pg_inherits AS i
        JOIN pg_class AS p ON p.oid = i.inhparent
        JOIN pg_namespace AS pn ON pn.oid = p.relnamespace
        WHERE i.inhrelid = c.oid AND c.relispartition) AS parent,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       coalesce(cols.columns, '{}') AS columns,
       EXISTS (SELECT FROM pg_inherits AS i WHERE i.inhrelid = c.oid AND NOT c.relispartition)
           AS inherits,
       ARRAY(SELECT o FROM unnest(c.reloptions) AS o ORDER BY 1) AS options
FROM tables AS c
LEFT JOIN columns AS cols ON cols.attrelid = c.oid
