CREATE TABLE sale (
    id integer PRIMARY KEY,
    day date NOT NULL,
    shop text NOT NULL,
    amount integer NOT NULL
);

CREATE MATERIALIZED VIEW daily_shop AS
    SELECT day, shop, sum(amount) AS total FROM sale GROUP BY day, shop;
CREATE UNIQUE INDEX daily_shop_key ON daily_shop (day, shop);
CREATE INDEX daily_shop_big_idx ON daily_shop (total) WHERE total > 1000;
