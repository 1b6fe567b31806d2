-- ALTER FOREIGN TABLE.
-- expect: ok
ALTER FOREIGN TABLE remote_accounts ADD COLUMN note text, ALTER COLUMN email OPTIONS (ADD column_name 'mail');
