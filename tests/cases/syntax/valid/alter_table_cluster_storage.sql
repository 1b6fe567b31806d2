-- CLUSTER ON, SET and RESET storage parameters.
-- expect: ok
ALTER TABLE orders CLUSTER ON orders_pkey, SET (fillfactor = 90), RESET (autovacuum_enabled);
