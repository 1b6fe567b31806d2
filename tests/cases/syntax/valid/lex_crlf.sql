-- CRLF line endings.
-- expect: ok
CREATE TABLE crlf_lines (
  id int PRIMARY KEY,
  note text DEFAULT 'a'
);
