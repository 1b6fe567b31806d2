-- RENAME COLUMN to a keyword (comment) as the new name.
-- expect: ok
ALTER TABLE orders RENAME COLUMN note TO comment;
