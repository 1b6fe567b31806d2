CREATE TABLE blob (
    id integer PRIMARY KEY,
    body jsonb,
    taken_at timestamptz,
    token text,
    name text
);
