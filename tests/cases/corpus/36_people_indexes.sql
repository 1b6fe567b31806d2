-- People registry: generated columns, NULLS NOT DISTINCT unique index and constraint,
-- expression index with INCLUDE and fillfactor, partial index, an unlogged cache table
-- with BRIN and hash indexes.

CREATE TABLE people (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  first_name text NOT NULL,
  last_name text NOT NULL,
  full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
  height_cm numeric(5, 1),
  height_in numeric GENERATED ALWAYS AS (round(height_cm / 2.54, 1)) STORED,
  national_id text,
  country char(2)
);

CREATE UNIQUE INDEX people_national_id_key ON people (country, national_id) NULLS NOT DISTINCT;

CREATE INDEX people_full_name_idx ON people (lower(full_name)) INCLUDE (id) WITH (fillfactor = 80);

CREATE INDEX people_tall_idx ON people (height_cm DESC NULLS LAST) WHERE height_cm > 190;

CREATE TABLE people_aliases (
  person_id bigint NOT NULL REFERENCES people (id),
  alias text,
  CONSTRAINT people_aliases_unique UNIQUE NULLS NOT DISTINCT (person_id, alias)
);

CREATE UNLOGGED TABLE page_cache (
  url text PRIMARY KEY,
  body bytea NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70);

CREATE INDEX page_cache_fetched_brin ON page_cache USING brin (fetched_at) WITH (pages_per_range = 32);

CREATE INDEX page_cache_url_hash ON page_cache USING hash (url);

COMMENT ON COLUMN people.full_name IS 'Derived; never written by the application.';
