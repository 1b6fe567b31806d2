CREATE TABLE setting (
    id integer PRIMARY KEY,
    retries integer DEFAULT 3,
    label text DEFAULT 'unnamed',
    changed_at timestamptz
);
