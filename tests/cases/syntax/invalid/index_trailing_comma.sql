-- A trailing comma in an index column list.
-- expect: error 4:24
-- server: 42601 syntax error at or near ")"
CREATE INDEX i ON t (a,);
