-- DROP SERVER ... CASCADE.
-- expect: ok
DROP SERVER IF EXISTS remote_srv CASCADE;
