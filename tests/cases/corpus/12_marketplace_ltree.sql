-- Marketplace categories as an ltree hierarchy, listings referencing them.

CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE categories (
  path ltree PRIMARY KEY,
  title text NOT NULL
);

CREATE INDEX categories_path_gist_idx ON categories USING gist (path);

CREATE TABLE listings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category ltree NOT NULL REFERENCES categories (path),
  title text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0)
);

CREATE INDEX listings_category_idx ON listings USING gist (category);

CREATE FUNCTION subtree_count(root ltree) RETURNS bigint
  LANGUAGE sql STABLE
  AS $$ SELECT count(*) FROM listings AS l WHERE l.category <@ root $$;

CREATE VIEW category_tree AS
  SELECT c.path, c.title, nlevel(c.path) AS depth, subpath(c.path, 0, 1) AS top
  FROM categories AS c;

GRANT SELECT ON category_tree TO PUBLIC;

COMMENT ON COLUMN categories.path IS 'Dot-separated, e.g. home.kitchen.knives';
