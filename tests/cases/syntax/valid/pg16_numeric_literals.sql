-- PostgreSQL 16: underscores in numbers, hex, octal and binary integers.
-- expect: ok
-- since: 16
-- pg15: error 5:8 42601 trailing junk after numeric literal at or near "1_000_000"
SELECT 1_000_000, 0x1F, 0o17, 0b101, 1_000.000_1;
