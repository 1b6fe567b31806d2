-- RENAME CONSTRAINT.
-- expect: ok
ALTER TABLE orders RENAME CONSTRAINT qty_positive TO qty_gt_zero;
