-- Snapshot: extensions (their member objects are left out of every other kind).
SELECT
    quote_ident(e.extname) AS name,
    e.extversion AS version,
    quote_ident(n.nspname) AS schema,
    pg_get_userbyid(e.extowner)::text AS owner
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
