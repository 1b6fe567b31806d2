-- Trailing junk after a number.
-- expect: error 4:31
-- server: 42601 trailing junk after numeric literal at or near "123abc"
CREATE TABLE t (a int DEFAULT 123abc);
