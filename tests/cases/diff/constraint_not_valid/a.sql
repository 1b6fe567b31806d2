CREATE TABLE customer (id integer PRIMARY KEY);
CREATE TABLE purchase (
    id integer PRIMARY KEY,
    customer_id integer,
    qty integer
);
