-- float(0): refused by the grammar with SQLSTATE 22023, not 42601.
-- expect: error 4:25
-- server: 22023 precision for type float must be at least 1 bit
CREATE TABLE t (x float(0));
