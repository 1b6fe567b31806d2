-- COMMENT ON FUNCTION with a signature.
-- expect: ok
COMMENT ON FUNCTION add(integer, integer) IS 'adds';
