-- DROP TYPE.
-- expect: ok
DROP TYPE IF EXISTS mood, address CASCADE;
