-- Snapshot: tables (plain, partitioned, foreign): persistence, storage options, partition
-- key and bound, parents in inheritance order, RLS switches, replica identity, access
-- method, typed-table type, foreign server and options, owner, privileges.
SELECT
    c.oid::regclass::text AS name,
    c.relkind AS kind,
    c.relpersistence AS persistence,
    ARRAY(SELECT o FROM unnest(c.reloptions) AS o ORDER BY 1) AS options,
    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
    CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
    ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits AS i
          WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
    c.relrowsecurity AS row_security,
    c.relforcerowsecurity AS force_row_security,
    c.relreplident AS replica_identity,
    (SELECT ri.indexrelid::regclass::text FROM pg_index AS ri
     WHERE ri.indrelid = c.oid AND ri.indisreplident) AS replica_identity_index,
    am.amname::text AS access_method,
    CASE WHEN c.reloftype <> 0 THEN c.reloftype::regtype::text END AS of_type,
    quote_ident(fs.srvname) AS foreign_server,
    ARRAY(SELECT o FROM unnest(ft.ftoptions) AS o ORDER BY 1) AS foreign_options,
    pg_get_userbyid(c.relowner)::text AS owner,
    CASE WHEN c.relacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(c.relacl) AS a ORDER BY 1) END AS acl
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_am AS am ON am.oid = c.relam
LEFT JOIN pg_foreign_table AS ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server AS fs ON fs.oid = ft.ftserver
WHERE c.relkind IN ('r', 'p', 'f')
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
