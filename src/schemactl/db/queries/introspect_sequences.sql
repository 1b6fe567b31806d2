-- Introspect: sequences; owned_by is the column of OWNED BY (serial columns and ALTER
-- SEQUENCE ... OWNED BY) or, for the sequence of an identity column (identity), that column.
SELECT n.nspname::text AS schema, c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS minimum,
       s.seqmax AS maximum, s.seqcache AS cache, s.seqcycle AS cycle,
       (SELECT ARRAY[tn.nspname::text, t.relname::text, a.attname::text]
        FROM pg_depend AS d
        JOIN pg_class AS t ON t.oid = d.refobjid
        JOIN pg_namespace AS tn ON tn.oid = t.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) AS owned_by,
       EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
               AND d.objid = c.oid AND d.deptype = 'i') AS identity,
       c.relpersistence = 'u' AS unlogged,
       pg_sequence_last_value(c.oid) AS last_value
FROM pg_sequence AS s
JOIN pg_class AS c ON c.oid = s.seqrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
