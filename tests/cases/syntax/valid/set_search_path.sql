-- SET search_path.
-- expect: ok
SET search_path = public, extensions;
