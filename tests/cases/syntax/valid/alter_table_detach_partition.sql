-- DETACH PARTITION CONCURRENTLY (it refuses to run in a transaction, the grammar accepts it).
-- expect: ok
ALTER TABLE logs DETACH PARTITION logs_2024 CONCURRENTLY;
