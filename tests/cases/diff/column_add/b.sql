CREATE TABLE account (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz DEFAULT now()
);
