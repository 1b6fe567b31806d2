-- EXECUTE on functions.
-- expect: ok
GRANT EXECUTE ON FUNCTION add(int, int), is_admin() TO authenticated;
