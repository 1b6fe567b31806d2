-- COMMENT ON COLUMN, schema-qualified.
-- expect: ok
COMMENT ON COLUMN public.accounts.email IS 'Lower-case e-mail';
