-- Trailing junk after a positional parameter.
-- expect: error 4:27
-- server: 42601 trailing junk after parameter at or near "$1abc"
PREPARE q (int) AS SELECT $1abc;
