CREATE TABLE crlf (
  id int
);
COMMENT ON TABLE crlf IS 'line
ends';
