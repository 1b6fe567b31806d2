-- Snapshot: roles matching the roles pattern (a LIKE pattern; roles are cluster-wide, so only the
-- caller knows which ones are part of the schema) with their attributes and settings.
SELECT
    quote_ident(r.rolname) AS name,
    r.rolsuper AS superuser,
    r.rolinherit AS inherit,
    r.rolcreaterole AS createrole,
    r.rolcreatedb AS createdb,
    r.rolcanlogin AS login,
    r.rolreplication AS replication,
    r.rolbypassrls AS bypassrls,
    r.rolconnlimit AS connection_limit,
    r.rolvaliduntil::text AS valid_until,
    ARRAY(SELECT s FROM unnest(r.rolconfig) AS s ORDER BY 1) AS settings
FROM pg_roles AS r
WHERE r.rolname LIKE %(roles)s
