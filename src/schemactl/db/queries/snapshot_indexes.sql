-- Snapshot: indexes (on tables, partitioned tables and materialized views) by their full
-- definition, the constraint they back, the partitioned index they are attached to, and
-- the CLUSTER / REPLICA IDENTITY marks.
SELECT
    i.indrelid::regclass::text AS "table",
    ic.oid::regclass::text AS name,
    pg_get_indexdef(i.indexrelid) AS definition,
    (SELECT quote_ident(con.conname) FROM pg_constraint AS con
     WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
       AND con.contype IN ('p', 'u', 'x')) AS "constraint",
    (SELECT inh.inhparent::regclass::text FROM pg_inherits AS inh
     WHERE inh.inhrelid = i.indexrelid) AS attached_to,
    i.indisclustered AS clustered,
    i.indisreplident AS replica_identity,
    i.indisvalid AS valid,
    ARRAY(SELECT o FROM unnest(ic.reloptions) AS o ORDER BY 1) AS options
FROM pg_index AS i
JOIN pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_class AS c ON c.oid = i.indrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
