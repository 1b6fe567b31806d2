-- SET ACCESS METHOD (PostgreSQL 15).
-- expect: ok
ALTER TABLE orders SET ACCESS METHOD heap;
