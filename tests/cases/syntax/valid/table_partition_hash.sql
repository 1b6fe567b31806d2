-- A hash partition.
-- expect: ok
CREATE TABLE sales_eu_0 PARTITION OF sales_eu FOR VALUES WITH (MODULUS 4, REMAINDER 0);
