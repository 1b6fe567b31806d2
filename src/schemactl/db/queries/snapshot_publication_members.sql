-- Snapshot: what each publication publishes: tables (with row filter and column list)
-- and TABLES IN SCHEMA.
SELECT
    quote_ident(p.pubname) AS publication,
    'table' AS kind,
    pr.prrelid::regclass::text AS name,
    pg_get_expr(pr.prqual, pr.prrelid) AS row_filter,
    ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute AS a
          WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)
          ORDER BY a.attname) AS columns
FROM pg_publication_rel AS pr
JOIN pg_publication AS p ON p.oid = pr.prpubid
UNION ALL
SELECT
    quote_ident(p.pubname),
    'schema',
    quote_ident(n.nspname),
    NULL,
    NULL
FROM pg_publication_namespace AS pn
JOIN pg_publication AS p ON p.oid = pn.pnpubid
JOIN pg_namespace AS n ON n.oid = pn.pnnspid
