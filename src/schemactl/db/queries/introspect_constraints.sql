-- Introspect: table constraints (primary key, unique, foreign key, check, exclusion) defined
-- on the table itself: NOT NULL constraints (PostgreSQL 18) are column facts, and those a
-- partition inherits from its parent come with the parent.
SELECT n.nspname::text AS schema, c.relname::text AS "table", con.conname::text AS name,
       con.contype AS kind, pg_get_constraintdef(con.oid) AS definition,
       con.convalidated AS validated
FROM pg_constraint AS con
JOIN pg_class AS c ON c.oid = con.conrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND con.conislocal
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
