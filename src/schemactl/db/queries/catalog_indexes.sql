-- Every index with its key columns in order (NULL for an expression), kind and predicate.
-- Included (INCLUDE) columns are not key columns and are left out.
-- %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    t.relname AS "table",
    ic.relname AS name,
    am.amname AS method,
    x.indisunique AS is_unique,
    x.indisprimary AS is_primary,
    x.indisvalid AS is_valid,
    ARRAY(
        SELECT a.attname::text
        FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
        LEFT JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
        WHERE k.ord <= x.indnkeyatts
        ORDER BY k.ord
    ) AS columns,
    pg_get_expr(x.indpred, x.indrelid) AS predicate,
    pg_get_indexdef(x.indexrelid) AS definition
FROM pg_index AS x
JOIN pg_class AS ic ON ic.oid = x.indexrelid
JOIN pg_class AS t ON t.oid = x.indrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
JOIN pg_am AS am ON am.oid = ic.relam
WHERE left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
ORDER BY n.nspname, t.relname, ic.relname
