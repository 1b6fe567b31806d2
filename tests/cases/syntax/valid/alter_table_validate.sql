-- VALIDATE CONSTRAINT.
-- expect: ok
ALTER TABLE orders VALIDATE CONSTRAINT orders_account_fk;
