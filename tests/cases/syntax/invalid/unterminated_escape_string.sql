-- An unterminated E'' string whose quote is escaped.
-- expect: error 4:8
-- server: 42601 unterminated quoted string at or near "E'it\'s;"
SELECT E'it\'s;
