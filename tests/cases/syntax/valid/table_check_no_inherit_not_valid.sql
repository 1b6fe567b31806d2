-- NO INHERIT and NOT VALID on one table constraint.
-- expect: ok
CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0) NO INHERIT NOT VALID);
