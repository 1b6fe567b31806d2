-- COMMENT ON OPERATOR with its argument types.
-- expect: ok
COMMENT ON OPERATOR === (int, int) IS 'same int';
