-- Blog: posts with a workflow enum (values added in known positions), tags and a search column.

CREATE TYPE post_status AS ENUM ('draft', 'published');

ALTER TYPE post_status ADD VALUE 'review' BEFORE 'published';

ALTER TYPE post_status ADD VALUE 'archived' AFTER 'published';

CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  status post_status NOT NULL DEFAULT 'draft',
  search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, title || ' ' || body)) STORED,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tags (
  name text PRIMARY KEY CHECK (name = lower(name))
);

CREATE TABLE post_tags (
  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag text NOT NULL REFERENCES tags (name) ON UPDATE CASCADE,
  PRIMARY KEY (post_id, tag)
);

CREATE INDEX posts_search_idx ON posts USING gin (search);

CREATE INDEX posts_published_idx ON posts (created_at DESC) WHERE status = 'published';

CREATE VIEW published_posts AS
  SELECT p.id, p.slug, p.title, p.created_at
  FROM posts AS p
  WHERE p.status = 'published';

COMMENT ON TYPE post_status IS 'Editorial workflow of a post.';

COMMENT ON VIEW published_posts IS 'What readers see.';
