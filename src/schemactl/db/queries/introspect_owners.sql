-- Introspect: the owner of each schema, table, view, sequence, function and type, with the
-- ALTER ... OWNER TO target naming it (quoted here) and the key of the object.
SELECT 'rel ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS owner_key,
       CASE c.relkind WHEN 'v' THEN 'VIEW ' WHEN 'm' THEN 'MATERIALIZED VIEW '
                      WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END
           || quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS target,
       pg_get_userbyid(c.relowner)::text AS role
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
UNION ALL
SELECT 'fn ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       CASE WHEN p.prokind = 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END
           || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       pg_get_userbyid(p.proowner)::text
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w') AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
UNION ALL
SELECT 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
       CASE WHEN t.typtype = 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END
           || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
       pg_get_userbyid(t.typowner)::text
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
LEFT JOIN pg_class AS c ON c.oid = t.typrelid
WHERE t.typtype IN ('e', 'd', 'c') AND (t.typtype <> 'c' OR c.relkind = 'c')
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT 'schema ' || quote_ident(n.nspname), 'SCHEMA ' || quote_ident(n.nspname),
       pg_get_userbyid(n.nspowner)::text
FROM pg_namespace AS n
WHERE n.nspname = ANY (%(schemas)s)
