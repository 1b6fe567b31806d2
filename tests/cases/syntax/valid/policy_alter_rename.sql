-- ALTER POLICY ... RENAME.
-- expect: ok
ALTER POLICY update_own ON accounts RENAME TO update_mine;
