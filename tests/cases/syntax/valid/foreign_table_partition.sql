-- A foreign table as a partition.
-- expect: ok
CREATE FOREIGN TABLE logs_remote PARTITION OF logs FOR VALUES FROM ('2020-01-01') TO ('2021-01-01') SERVER remote_srv;
