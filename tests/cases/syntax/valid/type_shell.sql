-- A shell type.
-- expect: ok
CREATE TYPE complex;
