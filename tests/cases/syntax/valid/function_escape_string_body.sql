-- A body given as an E'' string.
-- expect: ok
CREATE FUNCTION quote_char() RETURNS text LANGUAGE sql AS E'SELECT \'it\'\'s\'';
