-- User accounts grown by ALTER TABLE: columns added then constrained, a unique constraint
-- adopted from an index, replica identity from an index, CLUSTER ON, a later foreign key.

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL
);

ALTER TABLE accounts ADD COLUMN username text;

ALTER TABLE accounts ALTER COLUMN username SET NOT NULL;

CREATE UNIQUE INDEX accounts_username_idx ON accounts (username);

ALTER TABLE accounts ADD CONSTRAINT accounts_username_key UNIQUE USING INDEX accounts_username_idx;

CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));

ALTER TABLE accounts CLUSTER ON accounts_email_lower_idx;

ALTER TABLE accounts ADD COLUMN external_ref uuid NOT NULL DEFAULT gen_random_uuid();

CREATE UNIQUE INDEX accounts_external_ref_idx ON accounts (external_ref);

ALTER TABLE accounts REPLICA IDENTITY USING INDEX accounts_external_ref_idx;

ALTER TABLE accounts ADD COLUMN status text NOT NULL DEFAULT 'active';

ALTER TABLE accounts ADD CONSTRAINT accounts_status_check CHECK (status IN ('active', 'locked', 'closed'));

ALTER TABLE accounts ALTER COLUMN email SET STATISTICS 400;

CREATE TABLE sessions (
  token text PRIMARY KEY,
  account_id bigint NOT NULL,
  expires_at timestamptz NOT NULL
);

ALTER TABLE sessions ADD CONSTRAINT sessions_account_fk
  FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;

CREATE INDEX sessions_account_id_idx ON sessions (account_id);
