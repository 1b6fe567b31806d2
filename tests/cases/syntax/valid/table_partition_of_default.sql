-- The default partition.
-- expect: ok
CREATE TABLE logs_default PARTITION OF logs DEFAULT;
