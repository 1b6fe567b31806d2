-- SET SCHEMA.
-- expect: ok
ALTER TABLE IF EXISTS orders SET SCHEMA archive;
