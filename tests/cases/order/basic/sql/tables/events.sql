CREATE TABLE events (
  account_id uuid NOT NULL REFERENCES accounts(id),
  at timestamptz NOT NULL,
  payload jsonb
) PARTITION BY RANGE (at);
