-- Two expressions without a comma.
-- expect: error 4:10
-- server: 42601 syntax error at or near "2"
SELECT 1 2;
