-- Every foreign key declared by the user. Copies that PostgreSQL clones onto partitions
-- (conparentid <> 0) are left out: the partitioned parent's key stands for them.
-- %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    t.relname AS "table",
    con.conname AS name,
    ARRAY(
        SELECT a.attname::text
        FROM unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
        JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
        ORDER BY k.ord
    ) AS columns,
    rn.nspname AS ref_schema,
    rt.relname AS ref_table,
    ARRAY(
        SELECT a.attname::text
        FROM unnest(con.confkey) WITH ORDINALITY AS k (attnum, ord)
        JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
        ORDER BY k.ord
    ) AS ref_columns,
    con.confdeltype::text AS on_delete,
    con.confupdtype::text AS on_update,
    pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint AS con
JOIN pg_class AS t ON t.oid = con.conrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
JOIN pg_class AS rt ON rt.oid = con.confrelid
JOIN pg_namespace AS rn ON rn.oid = rt.relnamespace
WHERE con.contype = 'f'
  AND con.conparentid = 0
  AND left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
ORDER BY n.nspname, t.relname, con.conname
