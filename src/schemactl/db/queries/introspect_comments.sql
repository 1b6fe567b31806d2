-- Introspect: comments on the objects the diff handles, each with the COMMENT ON target
-- (quoted names, rendered here) and the key of the object it hangs on. Comments on
-- extensions are left out: CREATE EXTENSION sets them.
WITH rels AS (
    SELECT c.oid, c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY (%(schemas)s)
      AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
)
SELECT CASE WHEN d.objsubid <> 0
                THEN 'COLUMN ' || r.qname || '.' || quote_ident(a.attname)
            ELSE CASE r.relkind WHEN 'v' THEN 'VIEW ' WHEN 'm' THEN 'MATERIALIZED VIEW '
                     WHEN 'i' THEN 'INDEX ' WHEN 'I' THEN 'INDEX ' WHEN 'S' THEN 'SEQUENCE '
                     ELSE 'TABLE ' END || r.qname END AS target,
       d.description AS text,
       CASE WHEN d.objsubid <> 0 THEN 'col ' || r.qname || '.' || quote_ident(a.attname)
            ELSE 'rel ' || r.qname END AS owner_key
FROM pg_description AS d
JOIN rels AS r ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid
LEFT JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum = d.objsubid AND d.objsubid <> 0
WHERE r.relkind IN ('r', 'p', 'v', 'm', 'i', 'I', 'S')
UNION ALL
SELECT 'SCHEMA ' || quote_ident(n.nspname), d.description, 'schema ' || quote_ident(n.nspname)
FROM pg_description AS d JOIN pg_namespace AS n
    ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
WHERE n.nspname = ANY (%(schemas)s)
UNION ALL
SELECT CASE WHEN p.prokind = 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END
           || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       d.description, 'fn ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_description AS d
JOIN pg_proc AS p ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS e WHERE e.classid = 'pg_proc'::regclass
                  AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
UNION ALL
SELECT CASE WHEN t.typtype = 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END
           || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
       d.description, 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
FROM pg_description AS d
JOIN pg_type AS t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'c') AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS e WHERE e.classid = 'pg_type'::regclass
                  AND e.objid = t.oid AND e.deptype = 'e')
UNION ALL
SELECT 'CONSTRAINT ' || quote_ident(con.conname) || ' ON '
           || CASE WHEN con.conrelid <> 0 THEN r.qname
                   ELSE 'DOMAIN ' || con.contypid::regtype::text END,
       d.description,
       CASE WHEN con.conrelid <> 0 THEN 'con ' || r.qname || '.' || quote_ident(con.conname)
            ELSE 'type ' || con.contypid::regtype::text END
FROM pg_description AS d
JOIN pg_constraint AS con ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
LEFT JOIN rels AS r ON r.oid = con.conrelid
JOIN pg_namespace AS n ON n.oid = con.connamespace
WHERE n.nspname = ANY (%(schemas)s)
UNION ALL
SELECT 'TRIGGER ' || quote_ident(t.tgname) || ' ON ' || r.qname, d.description,
       'trg ' || r.qname || '.' || quote_ident(t.tgname)
FROM pg_description AS d
JOIN pg_trigger AS t ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid
JOIN rels AS r ON r.oid = t.tgrelid
UNION ALL
SELECT 'POLICY ' || quote_ident(p.polname) || ' ON ' || r.qname, d.description,
       'pol ' || r.qname || '.' || quote_ident(p.polname)
FROM pg_description AS d
JOIN pg_policy AS p ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid
JOIN rels AS r ON r.oid = p.polrelid
