-- Logical replication: publications of tables (with a row filter and a column list) and
-- of whole schemas, one extended later.

CREATE SCHEMA orders;

CREATE TABLE orders.orders (
  id bigint PRIMARY KEY,
  customer text NOT NULL,
  total_cents bigint NOT NULL,
  status text NOT NULL DEFAULT 'new'
);

CREATE TABLE orders.order_lines (
  order_id bigint NOT NULL REFERENCES orders.orders (id),
  line integer NOT NULL,
  sku text NOT NULL,
  qty integer NOT NULL,
  PRIMARY KEY (order_id, line)
);

CREATE SCHEMA catalog;

CREATE TABLE catalog.skus (
  sku text PRIMARY KEY,
  title text NOT NULL
);

CREATE TABLE app_settings (
  key text PRIMARY KEY,
  value text
);

CREATE PUBLICATION orders_pub FOR TABLE orders.orders, orders.order_lines
  WITH (publish = 'insert, update, delete');

CREATE PUBLICATION catalog_pub FOR TABLES IN SCHEMA catalog;

ALTER PUBLICATION catalog_pub ADD TABLE app_settings;

CREATE PUBLICATION big_orders_pub FOR TABLE orders.orders (id, customer, total_cents)
  WHERE (total_cents > 100000)
  WITH (publish = 'insert');

COMMENT ON PUBLICATION orders_pub IS 'Feeds the billing service.';
