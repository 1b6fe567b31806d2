-- COMMENT ON CONSTRAINT ... ON DOMAIN.
-- expect: ok
COMMENT ON CONSTRAINT email_shape ON DOMAIN email IS 'shape only';
