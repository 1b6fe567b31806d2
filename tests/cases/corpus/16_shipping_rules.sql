-- Shipping: rewrite rules on a table (DO ALSO, DO INSTEAD NOTHING, one disabled) and on
-- a view.

CREATE TABLE shipments (
  id integer PRIMARY KEY,
  carrier text NOT NULL,
  shipped_at timestamptz
);

CREATE TABLE shipment_log (
  shipment_id integer NOT NULL,
  action text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE RULE shipments_log_insert AS ON INSERT TO shipments
  DO ALSO INSERT INTO shipment_log (shipment_id, action) VALUES (NEW.id, 'insert');

CREATE RULE shipments_no_delete AS ON DELETE TO shipments
  DO INSTEAD NOTHING;

ALTER TABLE shipments DISABLE RULE shipments_no_delete;

CREATE VIEW open_shipments AS
  SELECT s.id, s.carrier
  FROM shipments AS s
  WHERE s.shipped_at IS NULL;

CREATE RULE open_shipments_insert AS ON INSERT TO open_shipments
  DO INSTEAD INSERT INTO shipments (id, carrier) VALUES (NEW.id, NEW.carrier);

CREATE RULE open_shipments_ship AS ON UPDATE TO open_shipments
  DO INSTEAD UPDATE shipments SET shipped_at = now() WHERE id = OLD.id;

COMMENT ON RULE shipments_log_insert ON shipments IS 'Every new shipment is logged.';
