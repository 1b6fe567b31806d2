-- CREATE TABLE AS ... WITH NO DATA.
-- expect: ok
CREATE TABLE report_template AS SELECT 1 AS id, 'x'::text AS label WITH NO DATA;
