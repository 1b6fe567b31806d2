-- Nested sub-selects, CASE, COALESCE, window and aggregate ORDER BY.
-- expect: ok
SELECT coalesce((SELECT max(x) FROM (SELECT x FROM (VALUES (1), (2)) v (x)) s), 0), string_agg(name, ',' ORDER BY name DESC) FILTER (WHERE name IS NOT NULL), CASE WHEN EXISTS (SELECT) THEN 1 END, percentile_cont(0.5) WITHIN GROUP (ORDER BY 1) FROM settings;
