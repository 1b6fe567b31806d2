-- SET DATA TYPE ... USING.
-- expect: ok
ALTER TABLE orders ALTER COLUMN qty SET DATA TYPE bigint USING qty::bigint, ALTER COLUMN note TYPE varchar(200) COLLATE "C";
