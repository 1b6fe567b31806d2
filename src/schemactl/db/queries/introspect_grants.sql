-- Introspect: privileges (aclexplode of the ACL, or of the default ACL when it is NULL) on
-- relations, columns, functions, schemas and types; the owner's own privileges are left out.
-- The default ACL of a relation or a schema grants its owner only: a NULL ACL there has no
-- row to give, and skipping it spares exploding one default ACL per table.
-- target/object are how GRANT names the object; owner_key names what the grant hangs on.
WITH objects AS (
    SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS target,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS object,
           NULL::text AS "column",
           'rel ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS owner_key,
           c.relowner AS owner, c.relacl AS acl
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname = ANY (%(schemas)s)
      AND c.relacl IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'TABLE', quote_ident(n.nspname) || '.' || quote_ident(c.relname),
           quote_ident(a.attname),
           'col ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.'
               || quote_ident(a.attname),
           c.relowner, a.attacl
    FROM pg_attribute AS a
    JOIN pg_class AS c ON c.oid = a.attrelid
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY (%(schemas)s)
    UNION ALL
    SELECT CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
           quote_ident(n.nspname) || '.' || quote_ident(p.proname)
               || '(' || pg_get_function_identity_arguments(p.oid) || ')',
           NULL, 'fn ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
               || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner,
           coalesce(p.proacl, acldefault('f', p.proowner))
    FROM pg_proc AS p
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p', 'w') AND n.nspname = ANY (%(schemas)s)
      AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
    UNION ALL
    SELECT 'SCHEMA', quote_ident(n.nspname), NULL, 'schema ' || quote_ident(n.nspname),
           n.nspowner, n.nspacl
    FROM pg_namespace AS n
    WHERE n.nspname = ANY (%(schemas)s) AND n.nspacl IS NOT NULL
    UNION ALL
    SELECT 'TYPE', quote_ident(n.nspname) || '.' || quote_ident(t.typname), NULL,
           'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
           t.typowner, coalesce(t.typacl, acldefault('T', t.typowner))
    FROM pg_type AS t
    JOIN pg_namespace AS n ON n.oid = t.typnamespace
    LEFT JOIN pg_class AS c ON c.oid = t.typrelid
    WHERE t.typtype IN ('e', 'd', 'c') AND (t.typtype <> 'c' OR c.relkind = 'c')
      AND n.nspname = ANY (%(schemas)s)
      AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
)
SELECT o.target, o.object, o."column",
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable, o.owner_key
FROM objects AS o
CROSS JOIN LATERAL aclexplode(o.acl) AS x
WHERE x.grantee <> o.owner
