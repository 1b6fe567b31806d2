-- ALTER TRIGGER ... RENAME.
-- expect: ok
ALTER TRIGGER accounts_touch ON accounts RENAME TO accounts_touch_updated;
