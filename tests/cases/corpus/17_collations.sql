-- Word lists and currency codes: libc collations made from "C" and POSIX, used by
-- columns, an index, a domain and a view.

CREATE SCHEMA text_util;

CREATE COLLATION text_util.bytewise FROM "C";

CREATE COLLATION text_util.posix_sort (locale = 'POSIX');

CREATE COLLATION text_util.c_libc (provider = libc, lc_collate = 'C', lc_ctype = 'C');

CREATE TABLE text_util.words (
  word text COLLATE text_util.bytewise PRIMARY KEY,
  lang text NOT NULL DEFAULT 'en'
);

CREATE INDEX words_lang_idx ON text_util.words (lang COLLATE text_util.posix_sort);

CREATE DOMAIN text_util.code AS text COLLATE text_util.c_libc
  CHECK (VALUE ~ '^[A-Z]{3}$');

CREATE TABLE text_util.currencies (
  code text_util.code PRIMARY KEY,
  name text COLLATE "C" NOT NULL
);

CREATE VIEW text_util.sorted_words AS
  SELECT w.word
  FROM text_util.words AS w
  ORDER BY w.word COLLATE text_util.posix_sort;

COMMENT ON COLLATION text_util.bytewise IS 'Byte order: stable across C library upgrades.';
