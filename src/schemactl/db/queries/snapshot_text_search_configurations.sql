-- Snapshot: text search configurations: parser and the dictionaries of every token type,
-- in the order they are consulted.
SELECT
    quote_ident(n.nspname) || '.' || quote_ident(c.cfgname) AS name,
    quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) AS parser,
    ARRAY(
        SELECT tt.alias || ': ' || string_agg(m.mapdict::regdictionary::text, ', '
                                              ORDER BY m.mapseqno)
        FROM pg_ts_config_map AS m
        JOIN ts_token_type(c.cfgparser) AS tt ON tt.tokid = m.maptokentype
        WHERE m.mapcfg = c.oid
        GROUP BY tt.alias
        ORDER BY tt.alias) AS mappings,
    pg_get_userbyid(c.cfgowner)::text AS owner
FROM pg_ts_config AS c
JOIN pg_namespace AS n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser AS p ON p.oid = c.cfgparser
JOIN pg_namespace AS pn ON pn.oid = p.prsnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_ts_config'::regclass AND d.objid = c.oid AND d.deptype = 'e')
