-- Snapshot: functions, procedures and window functions by their full CREATE statement
-- (pg_get_functiondef: arguments, body, language, volatility, security, SET options...).
-- Functions a range type made for itself (pg_depend deptype 'i') come with the type.
SELECT
    p.oid::regprocedure::text AS signature,
    p.prokind AS kind,
    pg_get_functiondef(p.oid) AS definition,
    pg_get_userbyid(p.proowner)::text AS owner,
    CASE WHEN p.proacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(p.proacl) AS a ORDER BY 1) END AS acl
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w')
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
