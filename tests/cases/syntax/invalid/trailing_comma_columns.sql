-- A trailing comma in a column list.
-- expect: error 7:1
-- server: 42601 syntax error at or near ")"
CREATE TABLE t (
  id int PRIMARY KEY,
  name text,
);
