-- CREATE AGGREGATE with combine and final functions.
-- expect: ok
CREATE AGGREGATE sum2(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0', COMBINEFUNC = int4pl, FINALFUNC = int4abs, PARALLEL = SAFE);
