-- The error follows multi-byte characters (2, 3 and 4 bytes) on the same line: columns count
-- characters.
-- expect: error 5:52
-- server: 42601 syntax error at or near "DEFAUL"
CREATE TABLE größe (maß int, 名前 text, emoji_😀 text DEFAUL 'x');
