-- GRANT SET ON PARAMETER (PostgreSQL 15).
-- expect: ok
GRANT SET, ALTER SYSTEM ON PARAMETER work_mem, log_min_duration_statement TO app_admin;
