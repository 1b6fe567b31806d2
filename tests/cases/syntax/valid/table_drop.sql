-- DROP TABLE of several tables.
-- expect: ok
DROP TABLE IF EXISTS a, b, public.c CASCADE;
