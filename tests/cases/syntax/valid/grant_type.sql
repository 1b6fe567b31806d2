-- USAGE on a type.
-- expect: ok
GRANT USAGE ON TYPE mood TO app_user;
