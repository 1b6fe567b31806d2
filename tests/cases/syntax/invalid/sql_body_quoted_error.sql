-- An error inside a single-quoted LANGUAGE sql body after doubled quotes: the position is in the
-- statement's own text, each doubled quote counted.
-- expect: body-error 5:71
-- server: 42601 syntax error at or near "WHERE"
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT ''a;b'' FROM WHERE';
