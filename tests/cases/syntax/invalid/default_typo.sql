-- DEFAUL 0 (issue 8): the grammar sees a name where a column constraint belongs.
-- expect: error 5:10
-- server: 42601 syntax error at or near "DEFAUL"
CREATE TABLE t (
  id int DEFAUL 0
);
