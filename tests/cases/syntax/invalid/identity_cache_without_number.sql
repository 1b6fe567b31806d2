-- CACHE without a number in identity options.
-- expect: error 4:59
-- server: 42601 syntax error at or near ")"
CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (CACHE));
