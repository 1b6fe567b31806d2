-- End of input inside a single-quoted LANGUAGE sql body with doubled quotes: reported at the
-- closing quote (as at the closing $$ of a dollar-quoted body).
-- expect: body-error 5:70
-- server: 42601 syntax error at end of input
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT ''a;b'' ||| ';
