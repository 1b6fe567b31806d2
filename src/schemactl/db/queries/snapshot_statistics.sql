-- Snapshot: extended statistics objects (CREATE STATISTICS) and their statistics target.
SELECT
    quote_ident(n.nspname) || '.' || quote_ident(s.stxname) AS name,
    pg_get_statisticsobjdef(s.oid) AS definition,
    (to_jsonb(s) ->> 'stxstattarget') AS statistics_target,
    pg_get_userbyid(s.stxowner)::text AS owner
FROM pg_statistic_ext AS s
JOIN pg_namespace AS n ON n.oid = s.stxnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_statistic_ext'::regclass AND d.objid = s.oid AND d.deptype = 'e')
