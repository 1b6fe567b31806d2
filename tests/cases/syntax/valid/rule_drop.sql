-- DROP RULE.
-- expect: ok
DROP RULE IF EXISTS protect_delete ON accounts;
