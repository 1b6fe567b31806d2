-- Snapshot: sequences with their parameters, persistence and the column that owns them
-- (OWNED BY or serial: 'auto'; identity column: 'identity'). Values (last_value) are data.
SELECT
    c.oid::regclass::text AS name,
    format_type(s.seqtypid, NULL) AS data_type,
    s.seqstart AS start,
    s.seqincrement AS increment,
    s.seqmin AS min_value,
    s.seqmax AS max_value,
    s.seqcache AS cache,
    s.seqcycle AS cycle,
    c.relpersistence AS persistence,
    (SELECT d.refobjid::regclass::text || '.' || quote_ident(a.attname)
            || CASE d.deptype WHEN 'i' THEN ' (identity)' ELSE ' (auto)' END
     FROM pg_depend AS d
     JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
       AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
       AND d.deptype IN ('a', 'i')) AS owned_by,
    pg_get_userbyid(c.relowner)::text AS owner,
    CASE WHEN c.relacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(c.relacl) AS a ORDER BY 1) END AS acl
FROM pg_sequence AS s
JOIN pg_class AS c ON c.oid = s.seqrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
