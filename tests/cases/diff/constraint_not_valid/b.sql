CREATE TABLE customer (id integer PRIMARY KEY);
CREATE TABLE purchase (
    id integer PRIMARY KEY,
    customer_id integer,
    qty integer
);
ALTER TABLE purchase ADD CONSTRAINT purchase_qty_check CHECK (qty >= 0) NOT VALID;
ALTER TABLE purchase ADD CONSTRAINT purchase_customer_fk
    FOREIGN KEY (customer_id) REFERENCES customer NOT VALID;
