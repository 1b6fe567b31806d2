-- USAGE on a language.
-- expect: ok
GRANT USAGE ON LANGUAGE plpgsql TO app_user;
