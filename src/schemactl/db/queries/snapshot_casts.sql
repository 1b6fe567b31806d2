-- Snapshot: casts created in this database (built-in ones have OIDs below 16384).
SELECT
    c.castsource::regtype::text AS source,
    c.casttarget::regtype::text AS target,
    CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END AS function,
    c.castcontext AS context,
    c.castmethod AS method
FROM pg_cast AS c
WHERE c.oid >= 16384
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e')
