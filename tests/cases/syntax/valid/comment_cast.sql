-- COMMENT ON CAST.
-- expect: ok
COMMENT ON CAST (text AS complex) IS 'parse';
