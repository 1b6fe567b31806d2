-- Snapshot: aggregates with their support functions, state types and initial values.
SELECT
    p.oid::regprocedure::text AS signature,
    a.aggkind AS kind,
    a.aggnumdirectargs AS direct_args,
    a.aggtransfn::regproc::text AS sfunc,
    format_type(a.aggtranstype, NULL) AS stype,
    a.aggtransspace AS sspace,
    a.agginitval AS initcond,
    NULLIF(a.aggfinalfn::regproc::text, '-') AS finalfunc,
    a.aggfinalextra AS finalfunc_extra,
    a.aggfinalmodify AS finalfunc_modify,
    NULLIF(a.aggcombinefn::regproc::text, '-') AS combinefunc,
    NULLIF(a.aggserialfn::regproc::text, '-') AS serialfunc,
    NULLIF(a.aggdeserialfn::regproc::text, '-') AS deserialfunc,
    NULLIF(a.aggmtransfn::regproc::text, '-') AS msfunc,
    NULLIF(a.aggminvtransfn::regproc::text, '-') AS minvfunc,
    CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END AS mstype,
    a.aggminitval AS minitcond,
    NULLIF(a.aggmfinalfn::regproc::text, '-') AS mfinalfunc,
    CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::regoperator::text END AS sortop,
    p.proparallel AS parallel,
    pg_get_userbyid(p.proowner)::text AS owner,
    CASE WHEN p.proacl IS NOT NULL
        THEN ARRAY(SELECT x::text FROM unnest(p.proacl) AS x ORDER BY 1) END AS acl
FROM pg_aggregate AS a
JOIN pg_proc AS p ON p.oid = a.aggfnoid
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname !~ '^pg_'
  AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude_schemas)s)
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
