-- DROP ROUTINE of several signatures.
-- expect: ok
DROP ROUTINE IF EXISTS bump(int), batch_commit(int);
