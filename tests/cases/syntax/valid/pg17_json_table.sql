-- PostgreSQL 17: JSON_TABLE in a view.
-- expect: ok
-- since: 17
-- pg15: error 5:79 42601 syntax error at or near "COLUMNS"
CREATE VIEW plans AS SELECT jt.* FROM accounts, JSON_TABLE(meta, '$.plans[*]' COLUMNS (name text PATH '$.name', seats int PATH '$.seats' DEFAULT 1 ON EMPTY)) AS jt;
