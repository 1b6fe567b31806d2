-- Multi-byte characters on earlier lines and before the error on its line.
-- expect: error 6:38
-- server: 42601 syntax error at or near "NUL"
-- Größe 😀
COMMENT ON TABLE t IS 'Maße 名前';
CREATE TABLE "😀" ("é" int, ü int NOT NUL);
