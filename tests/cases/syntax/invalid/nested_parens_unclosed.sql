-- An unclosed parenthesis deep in an expression: error at the semicolon.
-- expect: error 4:28
-- server: 42601 syntax error at or near ";"
SELECT ((((1 + 2) * 3) - 4);
