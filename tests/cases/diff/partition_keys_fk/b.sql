CREATE TABLE customer (id integer PRIMARY KEY);
CREATE TABLE orders (
    id bigint NOT NULL,
    day date NOT NULL,
    customer_id integer NOT NULL REFERENCES customer,
    PRIMARY KEY (id, day)
) PARTITION BY RANGE (day);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE order_note (
    id integer PRIMARY KEY,
    order_id bigint NOT NULL,
    order_day date NOT NULL,
    FOREIGN KEY (order_id, order_day) REFERENCES orders ON DELETE CASCADE
);
