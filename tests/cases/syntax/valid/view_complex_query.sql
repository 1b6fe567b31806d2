-- A view using CTEs, windows, FILTER, LATERAL, GROUPING SETS, DISTINCT ON, json operators.
-- expect: ok
CREATE VIEW stats AS
WITH recent AS MATERIALIZED (
  SELECT * FROM orders WHERE created_at > now() - interval '7 days'
)
SELECT DISTINCT ON (a.id)
  a.id,
  count(*) FILTER (WHERE r.qty > 1) AS multi,
  row_number() OVER (PARTITION BY a.owner_id ORDER BY a.created_at DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rn,
  l.last_qty,
  a.meta ->> 'plan' AS plan,
  a.meta #> '{limits,max}' AS max_limit,
  a.meta @> '{"vip": true}' AS vip
FROM accounts a
JOIN recent r ON r.account_id = a.id
LEFT JOIN LATERAL (SELECT qty AS last_qty FROM recent WHERE account_id = a.id ORDER BY created_at DESC LIMIT 1) l ON true
GROUP BY GROUPING SETS ((a.id, l.last_qty), ())
ORDER BY a.id;
