-- An unclosed VALUES list at the end of the file.
-- expect: error 4:27
-- server: 42601 syntax error at end of input
INSERT INTO t VALUES (1, 2
