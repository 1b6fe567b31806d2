-- A short \u escape in an E'' string: SQLSTATE 22025 from the lexer.
-- expect: error 4:13
-- server: 22025 invalid Unicode escape
SELECT E'caf\u00e';
