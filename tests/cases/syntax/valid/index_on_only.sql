-- Index on ONLY the partitioned parent.
-- expect: ok
CREATE INDEX logs_logged_on ON ONLY logs (logged_on);
