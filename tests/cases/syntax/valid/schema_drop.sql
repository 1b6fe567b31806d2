-- DROP SCHEMA of several schemas with CASCADE.
-- expect: ok
DROP SCHEMA IF EXISTS app, hr CASCADE;
