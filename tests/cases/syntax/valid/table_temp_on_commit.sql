-- A temporary table with ON COMMIT DROP.
-- expect: ok
CREATE TEMPORARY TABLE scratch (id int) ON COMMIT DROP;
