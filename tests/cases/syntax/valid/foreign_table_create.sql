-- CREATE FOREIGN TABLE with column options and a constraint.
-- expect: ok
CREATE FOREIGN TABLE remote_accounts (id bigint OPTIONS (column_name 'account_id') NOT NULL, email text, CHECK (id > 0)) SERVER remote_srv OPTIONS (schema_name 'public', table_name 'accounts');
