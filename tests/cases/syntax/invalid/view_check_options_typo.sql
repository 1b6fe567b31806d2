-- WITH CHECK OPTIONS.
-- expect: error 4:43
-- server: 42601 syntax error at or near "OPTIONS"
CREATE VIEW v AS SELECT 1 AS a WITH CHECK OPTIONS;
