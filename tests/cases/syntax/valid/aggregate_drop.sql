-- DROP AGGREGATE, an ordered-set one included.
-- expect: ok
DROP AGGREGATE IF EXISTS sum2(int), my_percentile(float8 ORDER BY float8);
