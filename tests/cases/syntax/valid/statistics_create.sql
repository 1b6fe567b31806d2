-- Extended statistics with an expression (PostgreSQL 14).
-- expect: ok
CREATE STATISTICS IF NOT EXISTS accounts_stats (dependencies, ndistinct, mcv) ON owner_id, lower(email) FROM accounts;
