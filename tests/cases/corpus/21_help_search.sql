-- Help centre search: text search dictionaries and a configuration copied from english
-- with unaccent in front of a custom stemmer; a generated tsvector column uses it.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE SCHEMA help;

CREATE TEXT SEARCH DICTIONARY help.english_stem_nostop (
  TEMPLATE = snowball,
  language = english
);

CREATE TEXT SEARCH DICTIONARY help.english_simple (
  TEMPLATE = simple,
  stopwords = english,
  accept = false
);

CREATE TEXT SEARCH CONFIGURATION help.english_unaccent (COPY = pg_catalog.english);

ALTER TEXT SEARCH CONFIGURATION help.english_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, help.english_simple, help.english_stem_nostop;

ALTER TEXT SEARCH CONFIGURATION help.english_unaccent
  DROP MAPPING FOR email, url, url_path;

CREATE TABLE help.articles (
  id integer PRIMARY KEY,
  title text NOT NULL,
  body text NOT NULL,
  search tsvector GENERATED ALWAYS AS (to_tsvector('help.english_unaccent'::regconfig, title || ' ' || body)) STORED
);

CREATE INDEX articles_search_idx ON help.articles USING gin (search);

CREATE FUNCTION help.search(q text) RETURNS SETOF help.articles
  LANGUAGE sql STABLE
  AS $$
    SELECT a.* FROM help.articles AS a
    WHERE a.search @@ websearch_to_tsquery('help.english_unaccent', q)
  $$;

COMMENT ON TEXT SEARCH CONFIGURATION help.english_unaccent IS 'Accent-insensitive English.';

COMMENT ON TEXT SEARCH DICTIONARY help.english_stem_nostop IS 'Snowball stemmer, stop words kept.';
