-- A base type with I/O functions.
-- expect: ok
CREATE TYPE complex (INTERNALLENGTH = 16, INPUT = complex_in, OUTPUT = complex_out, ALIGNMENT = double, STORAGE = plain, CATEGORY = 'N');
