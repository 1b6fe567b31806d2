-- An unterminated string: reported where it starts.
-- expect: error 4:32
-- server: 42601 unterminated quoted string at or near "'abc);
CREATE TABLE t (s text DEFAULT 'abc);
CREATE TABLE u (id int);
