-- Snapshot: event triggers (database-wide, no schema).
SELECT
    quote_ident(e.evtname) AS name,
    e.evtevent::text AS event,
    e.evtfoid::regprocedure::text AS function,
    e.evtenabled AS enabled,
    ARRAY(SELECT tag FROM unnest(e.evttags) AS tag ORDER BY 1) AS tags,
    pg_get_userbyid(e.evtowner)::text AS owner
FROM pg_event_trigger AS e
WHERE NOT EXISTS (
    SELECT FROM pg_depend AS d
    WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = e.oid AND d.deptype = 'e')
