-- Every function and procedure with its security mode, configuration (SET clauses),
-- language, volatility and signature. Functions that belong to an extension are left out.
-- %(roles)s / %(exclude_schemas)s: see catalog_schemas.sql.
SELECT
    n.nspname AS schema,
    p.proname AS name,
    pg_get_function_identity_arguments(p.oid) AS identity_arguments,
    pg_get_function_result(p.oid) AS result,
    p.prokind::text AS kind,
    l.lanname AS language,
    p.provolatile::text AS volatility,
    p.prosecdef AS security_definer,
    coalesce(p.proconfig, '{}'::text[]) AS config,
    pg_get_userbyid(p.proowner) AS owner,
    ARRAY(
        SELECT r.rolname::text
        FROM pg_roles AS r
        WHERE r.rolname = ANY (%(roles)s) AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
        ORDER BY r.rolname
    ) AS execute_roles
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_language AS l ON l.oid = p.prolang
WHERE left(n.nspname, 3) <> 'pg_'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, p.proname, 3
