-- An unterminated dollar quote.
-- expect: error 4:49
-- server: 42601 unterminated dollar-quoted string at or near "$body$ SELECT 1;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1;
CREATE TABLE t (id int);
