-- Operators: OPERATOR(), comparisons, json, arrays, regex, IS DISTINCT FROM, BETWEEN SYMMETRIC.
-- expect: ok
SELECT 1 OPERATOR(pg_catalog.+) 2, 1 != 2, 3 <> 4, '{"a":1}'::jsonb #- '{a}', '[1]'::jsonb @? '$[*] ? (@ > 0)', ARRAY[1] && ARRAY[1], 'x' ~* 'X', 5 BETWEEN SYMMETRIC 9 AND 1, NULL IS NOT DISTINCT FROM NULL, 2 ^ 3, |/ 16, @ -5, 'abc' LIKE 'a%' ESCAPE '!', 'x' COLLATE "C" < 'y';
