-- Snapshot: schemas with owner and privileges.
-- Every snapshot query: names, never OIDs; ACL items sorted (the order of GRANTs is not
-- schema); schemas named pg_*, information_schema and the excluded schemas are left out,
-- and so is every object that belongs to an extension (pg_depend deptype 'e').
SELECT
    quote_ident(n.nspname) AS name,
    pg_get_userbyid(n.nspowner)::text AS owner,
    CASE WHEN n.nspacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(n.nspacl) AS a ORDER BY 1) END AS acl
FROM pg_namespace AS n
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
