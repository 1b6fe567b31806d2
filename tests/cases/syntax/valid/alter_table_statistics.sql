-- Column STATISTICS, attribute options and STORAGE.
-- expect: ok
ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500, ALTER COLUMN note SET (n_distinct = -0.5), ALTER COLUMN note SET STORAGE EXTERNAL;
