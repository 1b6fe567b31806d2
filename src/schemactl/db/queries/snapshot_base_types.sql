-- Snapshot: base and shell types made with CREATE TYPE name (INPUT = ...) or CREATE TYPE name
-- (array types, relation row types and multiranges come with their owner object).
SELECT
    t.oid::regtype::text AS name,
    t.typtype AS kind,
    NULLIF(t.typinput::regproc::text, '-') AS input,
    NULLIF(t.typoutput::regproc::text, '-') AS output,
    NULLIF(t.typreceive::regproc::text, '-') AS receive,
    NULLIF(t.typsend::regproc::text, '-') AS send,
    NULLIF(t.typmodin::regproc::text, '-') AS typmod_in,
    NULLIF(t.typmodout::regproc::text, '-') AS typmod_out,
    NULLIF(t.typanalyze::regproc::text, '-') AS analyze,
    t.typlen AS length,
    t.typbyval AS by_value,
    t.typalign AS alignment,
    t.typstorage AS storage,
    t.typcategory AS category,
    t.typispreferred AS preferred,
    t.typdelim AS delimiter,
    CASE WHEN t.typelem <> 0 THEN t.typelem::regtype::text END AS element,
    pg_get_userbyid(t.typowner)::text AS owner,
    CASE WHEN t.typacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(t.typacl) AS a ORDER BY 1) END AS acl
FROM pg_type AS t
JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'p')
  AND NOT EXISTS (SELECT FROM pg_type AS o WHERE o.typarray = t.oid)
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
