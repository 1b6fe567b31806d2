CREATE TABLE cart_line (
    id integer PRIMARY KEY,
    price integer NOT NULL,
    qty integer NOT NULL,
    total integer GENERATED ALWAYS AS (price * qty) STORED
);
