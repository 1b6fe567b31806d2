CREATE MATERIALIZED VIEW org_stats AS
WITH counted AS (SELECT org_id, count(*) AS n FROM accounts GROUP BY org_id)
SELECT o.id AS org_id, coalesce(c.n, 0) AS accounts
FROM orgs o LEFT JOIN counted c ON c.org_id = o.id;
CREATE UNIQUE INDEX org_stats_org_id ON org_stats (org_id);
