CREATE TABLE blob (
    id integer PRIMARY KEY,
    body jsonb,
    taken_at timestamptz,
    token text,
    name text
);
CREATE INDEX blob_body_idx ON blob USING gin (body jsonb_path_ops);
CREATE INDEX blob_taken_at_idx ON blob USING brin (taken_at) WITH (pages_per_range = 32);
CREATE INDEX blob_token_idx ON blob USING hash (token);
CREATE INDEX blob_name_idx ON blob (name COLLATE "C" text_pattern_ops) WITH (fillfactor = 80);
