-- CHECK ... NOT VALID inside CREATE TABLE (issue 10): accepted, the constraint is created valid.
-- expect: ok
CREATE TABLE orders (
  qty int,
  CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID
);
