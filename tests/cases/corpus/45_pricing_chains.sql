-- Pricing rules: long dependency chains through functions used in a domain check, a column
-- default, a check constraint, an expression index, a generated column, a policy and
-- views on views.

CREATE SCHEMA pricing;

CREATE FUNCTION pricing.is_currency(code text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT
  RETURN code ~ '^[A-Z]{3}$';

CREATE DOMAIN pricing.currency AS text CHECK (pricing.is_currency(VALUE));

CREATE SEQUENCE pricing.rule_no START WITH 100;

CREATE FUNCTION pricing.next_rule_no() RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$ SELECT nextval('pricing.rule_no') $$;

CREATE FUNCTION pricing.cents(amount numeric) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT
  RETURN round(amount * 100)::bigint;

CREATE TABLE pricing.rules (
  id bigint PRIMARY KEY DEFAULT pricing.next_rule_no(),
  sku text NOT NULL,
  currency pricing.currency NOT NULL DEFAULT 'EUR',
  amount numeric(12, 2) NOT NULL,
  amount_cents bigint GENERATED ALWAYS AS (pricing.cents(amount)) STORED,
  CONSTRAINT rules_amount_positive CHECK (pricing.cents(amount) > 0)
);

CREATE INDEX rules_sku_upper_idx ON pricing.rules (upper(sku), currency);

CREATE FUNCTION pricing.visible_currency(c text) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT c = ANY (string_to_array(current_setting('pricing.currencies', true), ',')) $$;

ALTER TABLE pricing.rules ENABLE ROW LEVEL SECURITY;

CREATE POLICY rules_by_currency ON pricing.rules
  FOR SELECT USING (pricing.visible_currency(currency));

CREATE VIEW pricing.eur_rules AS
  SELECT r.id, r.sku, r.amount FROM pricing.rules AS r WHERE r.currency = 'EUR';

CREATE VIEW pricing.cheap_eur_rules AS
  SELECT e.id, e.sku FROM pricing.eur_rules AS e WHERE pricing.cents(e.amount) < 500;

COMMENT ON VIEW pricing.cheap_eur_rules IS 'Built on eur_rules.';
