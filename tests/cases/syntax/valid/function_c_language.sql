-- A C-language function (the library does not need to exist for the grammar).
-- expect: ok
CREATE FUNCTION complex_in(cstring) RETURNS complex AS 'MODULE_PATHNAME', 'complex_in' LANGUAGE C IMMUTABLE STRICT;
