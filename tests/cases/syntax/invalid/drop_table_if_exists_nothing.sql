-- DROP TABLE IF EXISTS without a name: error at the end of input.
-- expect: error 4:21
-- server: 42601 syntax error at end of input
DROP TABLE IF EXISTS
