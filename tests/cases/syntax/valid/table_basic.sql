-- A table with the usual column constraints.
-- expect: ok
CREATE TABLE public.accounts (
  id bigint PRIMARY KEY,
  email text NOT NULL UNIQUE,
  balance numeric(12, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
  owner_id uuid REFERENCES users (id) ON DELETE CASCADE ON UPDATE RESTRICT,
  created_at timestamptz NOT NULL DEFAULT now(),
  tags text[] DEFAULT '{}'::text[],
  meta jsonb
);
