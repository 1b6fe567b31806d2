-- FOR VALUES FROM ... TOO.
-- expect: error 4:53
-- server: 42601 syntax error at or near "TOO"
CREATE TABLE t_1 PARTITION OF t FOR VALUES FROM (1) TOO (10);
