-- ALTER VIEW ... ALTER COLUMN ... SET DEFAULT.
-- expect: ok
ALTER VIEW active_accounts ALTER COLUMN email SET DEFAULT 'n/a';
