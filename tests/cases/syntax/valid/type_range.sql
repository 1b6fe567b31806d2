-- A range type with a multirange name.
-- expect: ok
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi, multirange_type_name = floatmultirange);
