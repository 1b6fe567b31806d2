-- Introspect: extensions installed into a managed schema, with their version and the
-- versions an ALTER EXTENSION ... UPDATE can reach from it.
SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version,
       coalesce((SELECT array_agg(p.target ORDER BY p.target)
                 FROM pg_extension_update_paths(e.extname) AS p
                 WHERE p.source = e.extversion AND p.path IS NOT NULL), '{}') AS reachable
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
WHERE n.nspname = ANY (%(schemas)s)
