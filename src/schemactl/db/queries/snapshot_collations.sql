-- Snapshot: collations: provider, locale settings, determinism (every column but the OIDs
-- and the library version, read through jsonb: PostgreSQL 17 renamed colliculocale).
SELECT
    quote_ident(n.nspname) || '.' || quote_ident(c.collname) AS name,
    (to_jsonb(c) - ARRAY['oid', 'collname', 'collnamespace', 'collowner', 'collversion'])::text
        AS settings,
    pg_get_userbyid(c.collowner)::text AS owner
FROM pg_collation AS c
JOIN pg_namespace AS n ON n.oid = c.collnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
