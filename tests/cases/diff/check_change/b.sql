CREATE TABLE line (
    id integer PRIMARY KEY,
    qty integer NOT NULL CONSTRAINT line_qty_check CHECK (qty >= 0)
);
