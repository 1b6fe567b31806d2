-- Snapshot: ALTER DEFAULT PRIVILEGES entries: for which role, in which schema (NULL: all),
-- for which kind of object (r table, S sequence, f function, T type, n schema).
SELECT
    pg_get_userbyid(d.defaclrole)::text AS role,
    quote_ident(n.nspname) AS schema,
    d.defaclobjtype AS object_type,
    ARRAY(SELECT a::text FROM unnest(d.defaclacl) AS a ORDER BY 1) AS acl
FROM pg_default_acl AS d
LEFT JOIN pg_namespace AS n ON n.oid = d.defaclnamespace
WHERE n.oid IS NULL
   OR (n.nspname !~ '^pg_'
       AND n.nspname <> 'information_schema'
       AND n.nspname <> ALL (%(exclude_schemas)s))
