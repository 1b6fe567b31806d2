-- Price import: file_fdw for CSV staging, and a wrapper without handler for a legacy ERP
-- (metadata only), with its server, a user mapping and a foreign table.

CREATE EXTENSION IF NOT EXISTS file_fdw;

CREATE SERVER import_files FOREIGN DATA WRAPPER file_fdw;

CREATE FOREIGN TABLE staging_prices (
  sku text OPTIONS (force_not_null 'true') NOT NULL,
  price numeric,
  valid_from date
) SERVER import_files
  OPTIONS (filename '/var/lib/imports/prices.csv', format 'csv', header 'true');

CREATE FOREIGN DATA WRAPPER legacy_wrapper OPTIONS (debug 'false');

CREATE SERVER legacy_erp TYPE 'erp' VERSION '7.2' FOREIGN DATA WRAPPER legacy_wrapper
  OPTIONS (endpoint 'https://erp.example');

GRANT USAGE ON FOREIGN DATA WRAPPER legacy_wrapper TO PUBLIC;

CREATE USER MAPPING FOR CURRENT_USER SERVER legacy_erp OPTIONS (token 'none');

CREATE FOREIGN TABLE erp_orders (
  order_no text,
  total numeric
) SERVER legacy_erp;

CREATE TABLE prices (
  sku text PRIMARY KEY,
  price numeric NOT NULL,
  valid_from date NOT NULL
);

CREATE VIEW price_changes AS
  SELECT s.sku, s.price AS new_price, p.price AS old_price
  FROM staging_prices AS s
  LEFT JOIN prices AS p USING (sku);

COMMENT ON FOREIGN DATA WRAPPER legacy_wrapper IS 'No handler: the ERP is read by a batch job.';
