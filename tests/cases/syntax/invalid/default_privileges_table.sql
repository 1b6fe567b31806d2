-- ALTER DEFAULT PRIVILEGES ... ON TABLE (TABLES is required).
-- expect: error 4:54
-- server: 42601 syntax error at or near "TABLE"
ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLE TO r;
