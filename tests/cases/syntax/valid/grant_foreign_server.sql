-- USAGE on a foreign server.
-- expect: ok
GRANT USAGE ON FOREIGN SERVER remote_srv TO app_user;
