-- A nondeterministic ICU collation.
-- expect: ok
CREATE COLLATION IF NOT EXISTS ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
