-- Snapshot: views and materialized views: definition, options (security_barrier,
-- security_invoker, check_option), whether a materialized view is populated, owner, privileges.
SELECT
    c.oid::regclass::text AS name,
    c.relkind AS kind,
    pg_get_viewdef(c.oid) AS definition,
    ARRAY(SELECT o FROM unnest(c.reloptions) AS o ORDER BY 1) AS options,
    CASE WHEN c.relkind = 'm' THEN c.relispopulated END AS populated,
    pg_get_userbyid(c.relowner)::text AS owner,
    CASE WHEN c.relacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(c.relacl) AS a ORDER BY 1) END AS acl
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
