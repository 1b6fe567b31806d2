-- CREATE OR REPLACE VIEW with options, column list and CHECK OPTION.
-- expect: ok
CREATE OR REPLACE VIEW active_accounts (id, email) WITH (security_barrier = true, security_invoker = true) AS
  SELECT id, email FROM accounts WHERE status = 'active'
WITH CASCADED CHECK OPTION;
