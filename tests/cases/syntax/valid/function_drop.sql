-- DROP FUNCTION of several signatures.
-- expect: ok
DROP FUNCTION IF EXISTS add(int, int), one(), stats(int[], numeric, VARIADIC text[]) CASCADE;
