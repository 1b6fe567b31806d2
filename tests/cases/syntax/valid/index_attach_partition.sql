-- ALTER INDEX ... ATTACH PARTITION.
-- expect: ok
ALTER INDEX logs_logged_on ATTACH PARTITION logs_2025_logged_on_idx;
