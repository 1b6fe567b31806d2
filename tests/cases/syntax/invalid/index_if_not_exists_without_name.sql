-- IF NOT EXISTS needs an index name.
-- expect: error 4:28
-- server: 42601 syntax error at or near "ON"
CREATE INDEX IF NOT EXISTS ON t (a);
