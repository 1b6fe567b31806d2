-- CREATE MATERIALIZED VIEW ... WITH NO DATA.
-- expect: ok
CREATE MATERIALIZED VIEW IF NOT EXISTS daily_totals (day, total) USING heap WITH (fillfactor = 100) AS
  SELECT date_trunc('day', created_at), sum(balance) FROM accounts GROUP BY 1
WITH NO DATA;
