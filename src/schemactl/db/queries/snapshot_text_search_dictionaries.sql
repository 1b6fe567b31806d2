-- Snapshot: text search dictionaries with their template and options.
SELECT
    quote_ident(n.nspname) || '.' || quote_ident(d.dictname) AS name,
    quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) AS template,
    d.dictinitoption AS options,
    pg_get_userbyid(d.dictowner)::text AS owner
FROM pg_ts_dict AS d
JOIN pg_namespace AS n ON n.oid = d.dictnamespace
JOIN pg_ts_template AS t ON t.oid = d.dicttemplate
JOIN pg_namespace AS tn ON tn.oid = t.tmplnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS x
      WHERE x.classid = 'pg_ts_dict'::regclass AND x.objid = d.oid AND x.deptype = 'e')
