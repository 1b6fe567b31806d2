CREATE TABLE setting (
    id integer PRIMARY KEY,
    retries integer DEFAULT 0,
    label text,
    changed_at timestamptz DEFAULT now()
);
