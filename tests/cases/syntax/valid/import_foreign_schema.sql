-- IMPORT FOREIGN SCHEMA.
-- expect: ok
IMPORT FOREIGN SCHEMA public LIMIT TO (accounts, orders) FROM SERVER remote_srv INTO remote;
