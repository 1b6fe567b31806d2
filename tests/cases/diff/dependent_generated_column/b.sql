CREATE TABLE cart_line (
    id integer PRIMARY KEY,
    price bigint NOT NULL,
    qty integer NOT NULL,
    total bigint GENERATED ALWAYS AS (price * qty) STORED
);
