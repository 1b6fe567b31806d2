CREATE TABLE order_line (
    id integer PRIMARY KEY,
    qty integer NOT NULL,
    price numeric(8, 2) NOT NULL
);
CREATE VIEW line_total AS SELECT id, qty * price AS total FROM order_line;
