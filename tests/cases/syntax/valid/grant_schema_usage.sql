-- USAGE, CREATE on a schema.
-- expect: ok
GRANT USAGE, CREATE ON SCHEMA app TO app_user;
