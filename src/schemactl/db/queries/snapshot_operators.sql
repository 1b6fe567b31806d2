-- Snapshot: operators with their function, commutator, negator and estimators.
SELECT
    o.oid::regoperator::text AS signature,
    o.oprresult::regtype::text AS result,
    o.oprcode::regproc::text AS function,
    CASE WHEN o.oprcom <> 0 THEN o.oprcom::regoperator::text END AS commutator,
    CASE WHEN o.oprnegate <> 0 THEN o.oprnegate::regoperator::text END AS negator,
    NULLIF(o.oprrest::regproc::text, '-') AS restrict,
    NULLIF(o.oprjoin::regproc::text, '-') AS "join",
    o.oprcanmerge AS merges,
    o.oprcanhash AS hashes,
    pg_get_userbyid(o.oprowner)::text AS owner
FROM pg_operator AS o
JOIN pg_namespace AS n ON n.oid = o.oprnamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e')
