-- A DEFERRABLE table CHECK constraint: the grammar refuses with 0A000 (PostgreSQL 15 gives no
-- position).
-- expect: error 6:38
-- server: 0A000 CHECK constraints cannot be marked DEFERRABLE
-- pg15: error - 0A000 CHECK constraints cannot be marked DEFERRABLE
CREATE TABLE t (a int, CHECK (a > 0) DEFERRABLE);
