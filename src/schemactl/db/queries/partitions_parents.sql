-- partitions: each configured parent (%(tables)s, names as written in the config, resolved
-- with to_regclass) with its range key, its partitions and their bounds (printed in the
-- session's TimeZone: schemactl sets UTC), estimated rows and total size, and the state of
-- the horizon CHECK of its DEFAULT partition. One round trip for every configured table.
-- Sizes only with %(sizes)s (status): ensure's no-op run must not stat every partition's files.
SELECT t.name AS wanted,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       pg_get_userbyid(c.relowner)::text AS owner,
       (SELECT a.attname::text
          FROM pg_partitioned_table AS pt
          JOIN pg_attribute AS a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
         WHERE pt.partrelid = c.oid AND pt.partstrat = 'r' AND pt.partnatts = 1) AS key_column,
       (SELECT format_type(a.atttypid, a.atttypmod)
          FROM pg_partitioned_table AS pt
          JOIN pg_attribute AS a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
         WHERE pt.partrelid = c.oid AND pt.partstrat = 'r' AND pt.partnatts = 1) AS key_type,
       COALESCE((
         SELECT json_agg(json_build_array(pn.nspname, p.relname,
                                          pg_get_expr(p.relpartbound, p.oid),
                                          p.reltuples::bigint,
                                          CASE WHEN %(sizes)s THEN pg_total_relation_size(p.oid) END,
                                          (SELECT k.convalidated FROM pg_constraint AS k
                                            WHERE k.conrelid = p.oid
                                              AND k.conname = 'schemactl_partitions_horizon'))
                         ORDER BY p.relname)
           FROM pg_inherits AS i
           JOIN pg_class AS p ON p.oid = i.inhrelid
           JOIN pg_namespace AS pn ON pn.oid = p.relnamespace
          WHERE i.inhparent = c.oid), '[]'::json) AS partitions
FROM unnest(%(tables)s::text[]) WITH ORDINALITY AS t (name, position)
LEFT JOIN pg_class AS c ON c.oid = to_regclass(t.name)
LEFT JOIN pg_namespace AS n ON n.oid = c.relnamespace
ORDER BY t.position
