-- RETURNING old.x, new.x: PostgreSQL 18 gives it its meaning, but older grammars already accept it
-- (old and new are plain names to them).
-- expect: ok
UPDATE accounts SET balance = balance + 1 RETURNING old.balance, new.balance;
