-- Snapshot: foreign-data wrappers not made by an extension.
SELECT
    quote_ident(w.fdwname) AS name,
    NULLIF(w.fdwhandler::regproc::text, '-') AS handler,
    NULLIF(w.fdwvalidator::regproc::text, '-') AS validator,
    ARRAY(SELECT o FROM unnest(w.fdwoptions) AS o ORDER BY 1) AS options,
    pg_get_userbyid(w.fdwowner)::text AS owner,
    CASE WHEN w.fdwacl IS NOT NULL
        THEN ARRAY(SELECT a::text FROM unnest(w.fdwacl) AS a ORDER BY 1) END AS acl
FROM pg_foreign_data_wrapper AS w
WHERE NOT EXISTS (
    SELECT FROM pg_depend AS d
    WHERE d.classid = 'pg_foreign_data_wrapper'::regclass AND d.objid = w.oid
      AND d.deptype = 'e')
