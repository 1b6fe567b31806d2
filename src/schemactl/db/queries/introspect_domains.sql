-- Introspect: domains with base type, default, NOT NULL, collation and CHECK constraints.
SELECT n.nspname::text AS schema, t.typname::text AS name,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typdefault AS "default",
       t.typnotnull AS not_null,
       CASE WHEN t.typcollation <> b.typcollation
           THEN t.typcollation::regcollation::text END AS collation,
       ARRAY(SELECT ARRAY[c.conname::text, pg_get_constraintdef(c.oid), c.convalidated::text]
             FROM pg_constraint AS c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS checks
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_type AS b ON b.oid = t.typbasetype
WHERE t.typtype = 'd'
  AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
