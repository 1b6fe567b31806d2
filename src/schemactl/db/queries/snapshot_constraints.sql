-- Snapshot: constraints of tables and of domains (NOT NULL constraints too on PostgreSQL 18),
-- with their definition, deferrability, validation and inheritance.
SELECT
    COALESCE(c.oid::regclass::text, 'DOMAIN ' || con.contypid::regtype::text) AS owner_object,
    quote_ident(con.conname) AS name,
    con.contype AS kind,
    pg_get_constraintdef(con.oid) AS definition,
    con.condeferrable AS deferrable,
    con.condeferred AS deferred,
    con.convalidated AS validated,
    con.conislocal AS is_local,
    con.coninhcount AS inherited_count,
    con.connoinherit AS no_inherit
FROM pg_constraint AS con
JOIN pg_namespace AS n ON n.oid = con.connamespace
LEFT JOIN pg_class AS c ON c.oid = con.conrelid
WHERE (con.conrelid <> 0 OR con.contypid <> 0)
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.deptype = 'e'
        AND ((d.classid = 'pg_class'::regclass AND d.objid = con.conrelid)
          OR (d.classid = 'pg_type'::regclass AND d.objid = con.contypid)))
