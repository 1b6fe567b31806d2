-- Snapshot: publications and their flags (every column but the OIDs, read through jsonb:
-- PostgreSQL 18 added publish_generated_columns).
SELECT
    quote_ident(p.pubname) AS name,
    pg_get_userbyid(p.pubowner)::text AS owner,
    (to_jsonb(p) - ARRAY['oid', 'pubname', 'pubowner'])::text AS flags
FROM pg_publication AS p
