-- Literals: casts, typed strings, arrays, bit strings, numbers, intervals.
-- expect: ok
SELECT '1'::int, CAST('2' AS bigint), int '3', date '2025-01-01', interval '1 day 2 hours', (ARRAY[1, 2])[1:1], '{1,2}'::int[], B'1010', X'1F', 1.5e3, .5, 6., -7;
