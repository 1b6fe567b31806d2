-- Snapshot: rewrite rules (not the _RETURN rule that makes a view a view).
SELECT
    r.ev_class::regclass::text AS "table",
    quote_ident(r.rulename) AS name,
    pg_get_ruledef(r.oid) AS definition,
    r.ev_enabled AS enabled
FROM pg_rewrite AS r
JOIN pg_class AS c ON c.oid = r.ev_class
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
