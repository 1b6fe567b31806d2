-- ANALYZE with a column list.
-- expect: ok
ANALYZE VERBOSE accounts (email, balance);
