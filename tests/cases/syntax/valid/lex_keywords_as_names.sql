-- Type-function and column-name keywords as names where the grammar allows them.
-- expect: ok
CREATE TABLE kw ("between" int, "char" int, "overlaps" int, inout int, out_ int, setof_ int, xmlattributes_ int);
