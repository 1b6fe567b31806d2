-- WITH TIES without ORDER BY: the grammar's own message (PostgreSQL 15 gives no position).
-- expect: error 5:50
-- server: 42601 WITH TIES cannot be specified without ORDER BY clause
-- pg15: error - 42601 WITH TIES cannot be specified without ORDER BY clause
CREATE VIEW v AS SELECT 1 AS a FETCH FIRST 1 ROW WITH TIES;
