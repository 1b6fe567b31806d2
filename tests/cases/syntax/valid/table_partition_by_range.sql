-- A range-partitioned parent.
-- expect: ok
CREATE TABLE logs (id bigint, logged_on date NOT NULL, body text) PARTITION BY RANGE (logged_on);
