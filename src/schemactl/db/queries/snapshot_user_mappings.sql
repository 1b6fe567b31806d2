-- Snapshot: user mappings (options are visible to superusers and the server's owner).
SELECT
    quote_ident(u.srvname) AS server,
    CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(u.usename) END AS "user",
    ARRAY(SELECT o FROM unnest(u.umoptions) AS o ORDER BY 1) AS options
FROM pg_user_mappings AS u
