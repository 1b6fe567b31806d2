-- CREATE SERVER.
-- expect: ok
CREATE SERVER IF NOT EXISTS remote_srv TYPE 'postgresql' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '192.0.2.1', dbname 'remote', port '5432');
