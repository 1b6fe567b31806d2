-- FOR TABLE without a table.
-- expect: error 4:31
-- server: 42601 syntax error at or near ";"
CREATE PUBLICATION p FOR TABLE;
