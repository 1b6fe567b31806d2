-- WITH NO DATE.
-- expect: error 4:54
-- server: 42601 syntax error at or near "DATE"
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS a WITH NO DATE;
