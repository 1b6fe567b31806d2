-- Remote sales figures through postgres_fdw: server, user mappings (PUBLIC and a role),
-- a foreign table with a column option, grants on the server and the table.

DO $$
BEGIN
  CREATE ROLE corpus_remote_sales_reporter NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE EXTENSION IF NOT EXISTS postgres_fdw;

CREATE SERVER warehouse FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'warehouse.internal', port '5432', dbname 'dw', fetch_size '500');

CREATE USER MAPPING FOR PUBLIC SERVER warehouse
  OPTIONS (user 'readonly', password 'not-a-secret');

CREATE USER MAPPING FOR corpus_remote_sales_reporter SERVER warehouse
  OPTIONS (user 'reporter');

CREATE SCHEMA remote;

CREATE FOREIGN TABLE remote.sales (
  id bigint NOT NULL,
  sold_on date NOT NULL,
  amount numeric(12, 2)
) SERVER warehouse OPTIONS (schema_name 'public', table_name 'sales');

ALTER FOREIGN TABLE remote.sales ALTER COLUMN amount OPTIONS (ADD column_name 'amount_eur');

CREATE VIEW remote.sales_by_day AS
  SELECT s.sold_on, sum(s.amount) AS total
  FROM remote.sales AS s
  GROUP BY s.sold_on;

GRANT USAGE ON FOREIGN SERVER warehouse TO corpus_remote_sales_reporter;

GRANT USAGE ON SCHEMA remote TO corpus_remote_sales_reporter;

GRANT SELECT ON remote.sales, remote.sales_by_day TO corpus_remote_sales_reporter;

COMMENT ON SERVER warehouse IS 'The analytics warehouse.';

COMMENT ON FOREIGN TABLE remote.sales IS 'One row per sale, in EUR.';
