-- Multi-byte characters in strings and quoted identifiers.
-- expect: ok
COMMENT ON TABLE "Größe 名前" IS 'Maße: 10 € — 😀🎉';
