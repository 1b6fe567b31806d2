-- WITH CHECK OPTION on a recursive view: refused by the grammar with 0A000.
-- expect: error 4:41
-- server: 0A000 WITH CHECK OPTION not supported on recursive views
CREATE RECURSIVE VIEW v (n) AS SELECT 1 WITH CHECK OPTION;
