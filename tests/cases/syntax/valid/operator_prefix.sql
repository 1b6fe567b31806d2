-- A schema-qualified prefix operator.
-- expect: ok
CREATE OPERATOR public.@@ (RIGHTARG = text, PROCEDURE = length);
