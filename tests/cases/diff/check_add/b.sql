CREATE TABLE product (
    id integer PRIMARY KEY,
    price numeric(10, 2) NOT NULL CONSTRAINT product_price_check CHECK (price >= 0),
    discount numeric(10, 2) NOT NULL DEFAULT 0,
    CONSTRAINT product_discount_check CHECK (discount <= price)
);
