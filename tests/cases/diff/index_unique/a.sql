CREATE TABLE coupon (
    id integer PRIMARY KEY,
    code text NOT NULL
);
CREATE INDEX coupon_code_idx ON coupon (code);
