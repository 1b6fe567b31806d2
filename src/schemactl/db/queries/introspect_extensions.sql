-- Introspect: extensions installed into a managed schema.
SELECT e.extname::text AS name, n.nspname::text AS schema
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
WHERE n.nspname = ANY (%(schemas)s)
