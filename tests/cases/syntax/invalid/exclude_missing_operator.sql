-- An exclusion element without its operator.
-- expect: error 4:56
-- server: 42601 syntax error at or near ")"
CREATE TABLE t (r tstzrange, EXCLUDE USING gist (r WITH));
