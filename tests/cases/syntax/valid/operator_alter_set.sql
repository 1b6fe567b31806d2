-- ALTER OPERATOR ... SET (RESTRICT, JOIN).
-- expect: ok
ALTER OPERATOR === (int, int) SET (RESTRICT = eqsel, JOIN = eqjoinsel);
