-- CRLF line endings: the carriage returns do not shift lines or columns.
-- expect: error 6:16
-- server: 42601 syntax error at or near "NUL"
CREATE TABLE t (
  id int,
  name txt NOT NUL
);
