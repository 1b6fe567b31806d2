CREATE TABLE stock (
    id integer PRIMARY KEY,
    qty integer NOT NULL
);
CREATE VIEW stock_qty AS SELECT id, qty::numeric AS qty FROM stock;
CREATE VIEW stock_double AS SELECT id, qty * 2 AS double_qty FROM stock_qty;
