-- SECURITY LABEL FOR a provider ON ROLE.
-- expect: ok
SECURITY LABEL FOR anon ON ROLE app_user IS 'MASKED';
