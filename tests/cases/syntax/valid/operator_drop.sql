-- DROP OPERATOR of infix and prefix operators.
-- expect: ok
DROP OPERATOR IF EXISTS === (int, int), public.@@ (NONE, text);
