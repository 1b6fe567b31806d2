-- SECURITY LABEL ON FUNCTION.
-- expect: ok
SECURITY LABEL ON FUNCTION add(int, int) IS 'trusted';
