CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW item_price AS SELECT id, price FROM item;
