-- CRLF line endings and an error at the end of input.
-- expect: error 6:12
-- server: 42601 syntax error at end of input
CREATE TABLE t (
  id int,
  name text
