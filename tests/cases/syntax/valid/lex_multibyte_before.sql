-- Multi-byte characters (2, 3 and 4 bytes) in a comment before the statement: the statement does
-- not start at offset 0.
-- expect: ok
-- Größe, Straße, 名前, 😀 — before the statement
CREATE TABLE before_mb (id int, note text DEFAULT 'ünïcödé 😀');
