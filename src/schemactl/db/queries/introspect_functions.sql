-- Introspect: functions and procedures by their full CREATE OR REPLACE statement.
-- Aggregates are another kind (unsupported); functions a type made for itself are left out.
SELECT n.nspname::text AS schema, p.proname::text AS name,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       p.prokind AS kind,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,
       pg_get_functiondef(p.oid) AS definition
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w')
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
