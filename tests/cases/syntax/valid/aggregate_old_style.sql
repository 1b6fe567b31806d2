-- The old-style CREATE AGGREGATE syntax.
-- expect: ok
CREATE AGGREGATE old_sum (BASETYPE = int, SFUNC = int4pl, STYPE = int);
