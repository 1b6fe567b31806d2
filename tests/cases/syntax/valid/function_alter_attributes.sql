-- ALTER FUNCTION attributes, RESET ALL and SET.
-- expect: ok
ALTER FUNCTION is_admin() SECURITY INVOKER STABLE RESET ALL SET search_path = public;
