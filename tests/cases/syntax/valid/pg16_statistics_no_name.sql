-- PostgreSQL 16: CREATE STATISTICS without a name.
-- expect: ok
-- since: 16
-- pg15: error 5:19 42601 syntax error at or near "ON"
CREATE STATISTICS ON owner_id, status FROM accounts;
