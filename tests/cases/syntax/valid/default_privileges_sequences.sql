-- Default privileges on sequences, FOR USER.
-- expect: ok
ALTER DEFAULT PRIVILEGES FOR USER app_owner GRANT USAGE ON SEQUENCES TO app_user;
