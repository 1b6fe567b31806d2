-- ALTER RULE ... RENAME.
-- expect: ok
ALTER RULE protect ON accounts RENAME TO protect_delete;
