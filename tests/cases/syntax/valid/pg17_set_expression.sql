-- PostgreSQL 17: ALTER COLUMN ... SET EXPRESSION.
-- expect: ok
-- since: 17
-- pg15: error 5:47 42601 syntax error at or near "EXPRESSION"
ALTER TABLE line_items ALTER COLUMN total SET EXPRESSION AS (price * qty * 1.2);
