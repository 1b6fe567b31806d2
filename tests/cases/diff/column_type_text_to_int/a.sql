CREATE TABLE stock_line (
    id integer PRIMARY KEY,
    qty text
);
