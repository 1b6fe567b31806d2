-- COMMENT ON TRIGGER ... IS NULL.
-- expect: ok
COMMENT ON TRIGGER accounts_touch ON accounts IS NULL;
