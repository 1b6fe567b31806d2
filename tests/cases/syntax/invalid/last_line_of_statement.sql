-- The error is on the last line of a multi-line statement.
-- expect: error 8:3
-- server: 42601 syntax error at or near "INHERTS"
CREATE TABLE t (
  id int PRIMARY KEY,
  name text NOT NULL,
  parent_id int
) INHERTS (parents);
