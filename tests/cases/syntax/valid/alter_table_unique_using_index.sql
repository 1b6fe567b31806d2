-- ADD CONSTRAINT ... UNIQUE USING INDEX.
-- expect: ok
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_idx;
