-- ALTER EXTENSION ... ADD a member function.
-- expect: ok
ALTER EXTENSION hstore ADD FUNCTION public.hstore_helper(integer, text);
