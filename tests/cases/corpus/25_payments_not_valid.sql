-- Payments migrated from a legacy system: constraints added NOT VALID (one validated
-- later), NOT VALID inside CREATE TABLE, deferrable unique and foreign keys.

CREATE TABLE customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  country char(2)
);

CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id integer NOT NULL,
  amount_cents bigint NOT NULL,
  method text NOT NULL,
  CONSTRAINT payments_amount_positive CHECK (amount_cents > 0) NOT VALID
);

ALTER TABLE payments ADD CONSTRAINT payments_customer_fk
  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;

ALTER TABLE payments VALIDATE CONSTRAINT payments_customer_fk;

ALTER TABLE payments ADD CONSTRAINT payments_method_check
  CHECK (method IN ('card', 'sepa', 'cash')) NOT VALID;

ALTER TABLE customers ADD CONSTRAINT customers_country_upper
  CHECK (country = upper(country)) NOT VALID;

ALTER TABLE customers VALIDATE CONSTRAINT customers_country_upper;

CREATE TABLE refunds (
  id bigint PRIMARY KEY,
  payment_id bigint NOT NULL REFERENCES payments (id) DEFERRABLE INITIALLY IMMEDIATE,
  reason text,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0)
);

ALTER TABLE refunds ADD CONSTRAINT refunds_payment_unique UNIQUE (payment_id)
  DEFERRABLE INITIALLY DEFERRED;

COMMENT ON CONSTRAINT payments_method_check ON payments IS 'Validated after the backfill.';
