-- Introspect: extensions installed into a managed schema, with their version.
SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
WHERE n.nspname = ANY (%(schemas)s)
