-- Snapshot: foreign servers.
SELECT
    quote_ident(s.srvname) AS name,
    quote_ident(w.fdwname) AS wrapper,
    s.srvtype AS type,
    s.srvversion AS version,
    ARRAY(SELECT o FROM unnest(s.srvoptions) AS o ORDER BY 1) AS options,
    pg_get_userbyid(s.srvowner)::text AS owner,
    CASE WHEN s.srvacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(s.srvacl) AS a ORDER BY 1) END AS acl
FROM pg_foreign_server AS s
JOIN pg_foreign_data_wrapper AS w ON w.oid = s.srvfdw
WHERE NOT EXISTS (
    SELECT FROM pg_depend AS d
    WHERE d.classid = 'pg_foreign_server'::regclass AND d.objid = s.oid AND d.deptype = 'e')
