-- COMMENT ON SCHEMA with an E'' string.
-- expect: ok
COMMENT ON SCHEMA app IS E'Application\nschema';
