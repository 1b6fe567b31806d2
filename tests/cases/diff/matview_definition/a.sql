CREATE TABLE sale (
    id integer PRIMARY KEY,
    day date NOT NULL,
    shop text NOT NULL,
    amount integer NOT NULL
);

CREATE MATERIALIZED VIEW shop_total AS
    SELECT shop, sum(amount) AS total FROM sale GROUP BY shop;
CREATE UNIQUE INDEX shop_total_shop_idx ON shop_total (shop);
