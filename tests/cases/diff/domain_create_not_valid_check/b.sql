-- a new domain whose check is NOT VALID: CREATE DOMAIN does not take NOT VALID
CREATE DOMAIN qty AS integer CONSTRAINT qty_positive CHECK (VALUE > 0);
ALTER DOMAIN qty ADD CONSTRAINT qty_nonnegative CHECK (VALUE >= 0) NOT VALID;
CREATE TABLE stock (
    id integer PRIMARY KEY,
    amount qty
);
