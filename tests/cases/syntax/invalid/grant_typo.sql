-- GRNT.
-- expect: error 4:1
-- server: 42601 syntax error at or near "GRNT"
GRNT SELECT ON t TO r;
