CREATE TABLE order_line (
    id integer PRIMARY KEY,
    qty bigint NOT NULL,
    price numeric(12, 2) NOT NULL
);
CREATE VIEW line_total AS SELECT id, qty * price AS total FROM order_line;
