-- pg_dump's header: set_config('search_path', '', false).
-- expect: ok
SELECT pg_catalog.set_config('search_path', '', false);
