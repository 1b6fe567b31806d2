-- Snapshot: range types with subtype, operator class, collation, support functions and the
-- name of their multirange type.
SELECT
    t.oid::regtype::text AS name,
    r.rngsubtype::regtype::text AS subtype,
    quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) AS subtype_opclass,
    CASE WHEN r.rngcollation <> 0 THEN r.rngcollation::regcollation::text END AS collation,
    NULLIF(r.rngcanonical::regproc::text, '-') AS canonical,
    NULLIF(r.rngsubdiff::regproc::text, '-') AS subtype_diff,
    r.rngmultitypid::regtype::text AS multirange,
    pg_get_userbyid(t.typowner)::text AS owner,
    CASE WHEN t.typacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(t.typacl) AS a ORDER BY 1) END AS acl
FROM pg_range AS r
JOIN pg_type AS t ON t.oid = r.rngtypid
JOIN pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_opclass AS opc ON opc.oid = r.rngsubopc
JOIN pg_namespace AS opcn ON opcn.oid = opc.opcnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
