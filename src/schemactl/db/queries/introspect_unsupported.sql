-- Introspect: objects in the managed schemas of kinds the diff does not handle, each as a
-- label ("foreign table public.ft") and, where the server renders one, a definition.
SELECT CASE c.relkind WHEN 'f' THEN 'foreign table ' ELSE 'inheriting table ' END
           || quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS label,
       '' AS definition
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND (c.relkind = 'f'
       OR (c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT FROM pg_inherits AS i WHERE i.inhrelid = c.oid)))
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || quote_ident(n.nspname) || '.'
           || quote_ident(c.relname), pg_get_ruledef(r.oid)
FROM pg_rewrite AS r
JOIN pg_class AS c ON c.oid = r.ev_class
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND n.nspname = ANY (%(schemas)s)
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type ' WHEN 'm' THEN 'multirange type '
                      ELSE 'base type ' END || t.oid::regtype::text, ''
FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'r') AND t.typelem = 0 AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype IN ('e', 'i'))
UNION ALL
SELECT 'aggregate ' || p.oid::regprocedure::text, ''
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prokind = 'a' AND n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'operator ' || o.oid::regoperator::text, ''
FROM pg_operator AS o JOIN pg_namespace AS n ON n.oid = o.oprnamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_operator'::regclass
                  AND d.objid = o.oid AND d.deptype = 'e')
UNION ALL
SELECT 'collation ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname), ''
FROM pg_collation AS c JOIN pg_namespace AS n ON n.oid = c.collnamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_collation'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'text search configuration ' || quote_ident(n.nspname) || '.' || quote_ident(c.cfgname), ''
FROM pg_ts_config AS c JOIN pg_namespace AS n ON n.oid = c.cfgnamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_ts_config'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'statistics ' || quote_ident(n.nspname) || '.' || quote_ident(s.stxname),
       pg_get_statisticsobjdef(s.oid)
FROM pg_statistic_ext AS s JOIN pg_namespace AS n ON n.oid = s.stxnamespace
WHERE n.nspname = ANY (%(schemas)s)
UNION ALL
SELECT 'publication ' || quote_ident(p.pubname), ''
FROM pg_publication AS p
UNION ALL
SELECT 'event trigger ' || quote_ident(e.evtname), e.evtevent
FROM pg_event_trigger AS e
WHERE NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_event_trigger'::regclass
                  AND d.objid = e.oid AND d.deptype = 'e')
