CREATE TABLE sku (
    id integer PRIMARY KEY,
    code text NOT NULL
);
