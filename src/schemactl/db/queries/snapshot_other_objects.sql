-- Snapshot: the rarer database-wide kinds created in this database: procedural languages,
-- access methods, conversions, transforms (extension members and built-ins left out).
SELECT
    'language' AS kind,
    quote_ident(l.lanname) AS name,
    concat_ws(' ', CASE WHEN l.lanpltrusted THEN 'TRUSTED' END,
              'HANDLER ' || NULLIF(l.lanplcallfoid::regproc::text, '-'),
              'INLINE ' || NULLIF(l.laninline::regproc::text, '-'),
              'VALIDATOR ' || NULLIF(l.lanvalidator::regproc::text, '-')) AS definition,
    pg_get_userbyid(l.lanowner)::text AS owner,
    CASE WHEN l.lanacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(l.lanacl) AS a ORDER BY 1) END AS acl
FROM pg_language AS l
WHERE l.oid >= 16384
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_language'::regclass AND d.objid = l.oid AND d.deptype = 'e')
UNION ALL
SELECT 'access method', quote_ident(a.amname),
       a.amtype::text || ' HANDLER ' || a.amhandler::regproc::text, NULL, NULL
FROM pg_am AS a
WHERE a.oid >= 16384
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_am'::regclass AND d.objid = a.oid AND d.deptype = 'e')
UNION ALL
SELECT 'conversion', quote_ident(n.nspname) || '.' || quote_ident(c.conname),
       concat_ws(' ', CASE WHEN c.condefault THEN 'DEFAULT' END,
                 pg_encoding_to_char(c.conforencoding), 'TO',
                 pg_encoding_to_char(c.contoencoding), 'FROM', c.conproc::regproc::text),
       pg_get_userbyid(c.conowner)::text, NULL
FROM pg_conversion AS c
JOIN pg_namespace AS n ON n.oid = c.connamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_conversion'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'transform', t.trftype::regtype::text || ' LANGUAGE ' || quote_ident(l.lanname),
       concat_ws(' ', 'FROM SQL ' || NULLIF(t.trffromsql::regprocedure::text, '-'),
                 'TO SQL ' || NULLIF(t.trftosql::regprocedure::text, '-')),
       NULL, NULL
FROM pg_transform AS t
JOIN pg_language AS l ON l.oid = t.trflang
WHERE t.oid >= 16384
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_transform'::regclass AND d.objid = t.oid AND d.deptype = 'e')
