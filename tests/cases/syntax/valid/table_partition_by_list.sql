-- A list partition with its own constraint and sub-partitioning.
-- expect: ok
CREATE TABLE sales_eu PARTITION OF sales (CONSTRAINT amount_ok CHECK (amount > 0)) FOR VALUES IN ('de', 'fr') PARTITION BY HASH (id);
