-- ALTER TABLE ... ADD CONSTRAINT ... CHEK (a typo after the constraint name).
-- expect: error 4:32
-- server: 42601 syntax error at or near "CHEK"
ALTER TABLE t ADD CONSTRAINT c CHEK (a > 0);
