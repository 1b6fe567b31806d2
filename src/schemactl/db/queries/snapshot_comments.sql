-- Snapshot: COMMENT ON anything, named by pg_identify_object; comments on roles only for
-- the roles matching the roles pattern (a LIKE pattern; roles are cluster-wide). Built-in objects
-- (OID below 16384, FirstNormalObjectId) are left out, except schemas (public's comment).
WITH described AS (
    SELECT
        d.classoid,
        d.objoid,
        d.objsubid,
        d.description,
        o.type,
        o.identity,
        CASE
            WHEN d.classoid = 'pg_namespace'::regclass THEN
                (SELECT ns.nspname FROM pg_namespace AS ns WHERE ns.oid = d.objoid)
            WHEN d.classoid = 'pg_trigger'::regclass THEN
                (SELECT ns.nspname FROM pg_trigger AS t
                 JOIN pg_class AS c ON c.oid = t.tgrelid
                 JOIN pg_namespace AS ns ON ns.oid = c.relnamespace WHERE t.oid = d.objoid)
            WHEN d.classoid = 'pg_policy'::regclass THEN
                (SELECT ns.nspname FROM pg_policy AS p
                 JOIN pg_class AS c ON c.oid = p.polrelid
                 JOIN pg_namespace AS ns ON ns.oid = c.relnamespace WHERE p.oid = d.objoid)
            WHEN d.classoid = 'pg_rewrite'::regclass THEN
                (SELECT ns.nspname FROM pg_rewrite AS r
                 JOIN pg_class AS c ON c.oid = r.ev_class
                 JOIN pg_namespace AS ns ON ns.oid = c.relnamespace WHERE r.oid = d.objoid)
            ELSE o.schema
        END AS schema
    FROM pg_description AS d
    CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) AS o
    WHERE d.objoid >= 16384 OR d.classoid = 'pg_namespace'::regclass
)
SELECT type, identity, description
FROM described AS x
WHERE (x.schema IS NULL
       OR (x.schema !~ '^pg_'
           AND x.schema <> 'information_schema'
           AND x.schema <> ALL (%(exclude_schemas)s)))
  AND NOT EXISTS (
      SELECT FROM pg_depend AS e
      WHERE e.classid = x.classoid AND e.objid = x.objoid AND e.deptype = 'e')
UNION ALL
SELECT 'role', quote_ident(r.rolname), s.description
FROM pg_shdescription AS s
JOIN pg_roles AS r ON r.oid = s.objoid
WHERE s.classoid = 'pg_authid'::regclass
  AND r.rolname LIKE %(roles)s
