CREATE EXTENSION pg_trgm;
CREATE TABLE doc (
    id integer PRIMARY KEY,
    title text NOT NULL
);
CREATE INDEX doc_title_trgm_idx ON doc USING gin (title gin_trgm_ops);
