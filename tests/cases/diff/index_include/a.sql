CREATE TABLE price (
    id integer NOT NULL,
    sku text NOT NULL,
    amount numeric NOT NULL
);
CREATE UNIQUE INDEX price_sku_idx ON price (sku);
