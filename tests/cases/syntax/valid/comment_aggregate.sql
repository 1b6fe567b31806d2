-- COMMENT ON AGGREGATE with an ORDER BY signature.
-- expect: ok
COMMENT ON AGGREGATE my_percentile(float8 ORDER BY float8) IS 'ordered-set';
