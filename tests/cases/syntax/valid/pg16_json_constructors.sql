-- PostgreSQL 16: SQL/JSON constructors and IS JSON.
-- expect: ok
-- since: 16
-- pg15: error 5:24 42601 syntax error at or near "VALUE"
SELECT JSON_OBJECT('a' VALUE 1 ABSENT ON NULL), JSON_ARRAY(1, 2 RETURNING jsonb), '{}' IS JSON OBJECT WITH UNIQUE KEYS;
