-- A missing comma in an aggregate definition.
-- expect: error 4:41
-- server: 42601 syntax error at or near "STYPE"
CREATE AGGREGATE a(int) (SFUNC = int4pl STYPE = int);
