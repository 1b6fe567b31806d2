-- Order archive: a template table copied with LIKE ... INCLUDING ALL once its keys, index,
-- storage and comments exist; a vehicle hierarchy with INHERITS and a NO INHERIT check.

CREATE TABLE order_template (
  id bigint NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now(),
  amount numeric(12, 2) NOT NULL,
  currency char(3) NOT NULL DEFAULT 'EUR',
  CONSTRAINT order_template_amount_check CHECK (amount >= 0)
);

ALTER TABLE order_template ADD CONSTRAINT order_template_pkey PRIMARY KEY (id);

CREATE INDEX order_template_placed_at_idx ON order_template (placed_at);

ALTER TABLE order_template ALTER COLUMN currency SET STORAGE PLAIN;

COMMENT ON COLUMN order_template.amount IS 'Gross amount.';

CREATE TABLE orders_2024 (LIKE order_template INCLUDING ALL);

CREATE TABLE vehicles (
  id integer PRIMARY KEY,
  plate text NOT NULL,
  CONSTRAINT vehicles_plate_upper CHECK (plate = upper(plate)),
  CONSTRAINT vehicles_abstract CHECK (false) NO INHERIT
);

CREATE TABLE cars (
  seats integer NOT NULL DEFAULT 5
) INHERITS (vehicles);

CREATE TABLE trucks (
  max_load_kg integer NOT NULL
) INHERITS (vehicles);

ALTER TABLE vehicles ADD COLUMN registered_on date;

ALTER TABLE vehicles ADD CONSTRAINT vehicles_registered_sane CHECK (registered_on > DATE '1900-01-01');

CREATE INDEX cars_plate_idx ON cars (plate);

COMMENT ON TABLE vehicles IS 'Abstract: rows live in cars and trucks.';
