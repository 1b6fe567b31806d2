-- Shop orders with serial columns; later statements use the implicit sequences by name
-- (ALTER, COMMENT, GRANT, a view and a function reading one).

DO $$
BEGIN
  CREATE ROLE corpus_shop_serials_clerk NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers,
  placed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
  line smallserial,
  sku text NOT NULL,
  PRIMARY KEY (order_id, line)
);

ALTER SEQUENCE orders_id_seq INCREMENT BY 10;

ALTER SEQUENCE customers_id_seq START WITH 500 RESTART;

COMMENT ON SEQUENCE orders_id_seq IS 'Order numbers step by 10.';

GRANT USAGE ON SEQUENCE orders_id_seq, order_items_line_seq TO corpus_shop_serials_clerk;

GRANT INSERT ON orders, order_items TO corpus_shop_serials_clerk;

CREATE VIEW last_order_number AS
  SELECT s.last_value FROM orders_id_seq AS s;

CREATE FUNCTION next_order_preview() RETURNS bigint
  LANGUAGE sql STABLE
  AS $$ SELECT s.last_value + 10 FROM orders_id_seq AS s $$;
