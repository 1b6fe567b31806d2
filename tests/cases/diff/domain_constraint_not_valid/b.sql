CREATE DOMAIN qty AS integer;
CREATE TABLE stock (
    id integer PRIMARY KEY,
    amount qty
);
ALTER DOMAIN qty ADD CONSTRAINT qty_nonnegative CHECK (VALUE >= 0) NOT VALID;
