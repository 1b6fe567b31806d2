-- ALTER SCHEMA ... RENAME TO.
-- expect: ok
ALTER SCHEMA app RENAME TO application;
