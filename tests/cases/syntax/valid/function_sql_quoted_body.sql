-- A single-quoted body with doubled quotes.
-- expect: ok
CREATE FUNCTION greeting() RETURNS text LANGUAGE sql AS 'SELECT ''hello'' || '';''';
