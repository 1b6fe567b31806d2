-- Ledger: ALTER DEFAULT PRIVILEGES (per schema and global, FOR ROLE, for tables, sequences,
-- functions, types) written before the objects they must cover.

DO $$
BEGIN
  CREATE ROLE corpus_ledger_default_privileges_reader NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_ledger_default_privileges_writer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA ledger;

ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT SELECT ON TABLES TO corpus_ledger_default_privileges_reader;

ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT INSERT, UPDATE ON TABLES TO corpus_ledger_default_privileges_writer;

ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT USAGE, SELECT ON SEQUENCES TO corpus_ledger_default_privileges_writer;

ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO corpus_ledger_default_privileges_writer;

ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT USAGE ON TYPES TO corpus_ledger_default_privileges_reader;

ALTER DEFAULT PRIVILEGES FOR ROLE corpus_ledger_default_privileges_writer IN SCHEMA ledger
  GRANT SELECT ON TABLES TO corpus_ledger_default_privileges_reader;

CREATE TYPE ledger.side AS ENUM ('debit', 'credit');

CREATE TABLE ledger.entries (
  id bigserial PRIMARY KEY,
  account text NOT NULL,
  side ledger.side NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  booked_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION ledger.balance(acct text) RETURNS bigint
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(sum(CASE e.side WHEN 'debit' THEN e.amount_cents ELSE -e.amount_cents END), 0)
    FROM ledger.entries AS e
    WHERE e.account = acct
  $$;

CREATE VIEW ledger.balances AS
  SELECT e.account, ledger.balance(e.account) AS balance
  FROM ledger.entries AS e
  GROUP BY e.account;

GRANT USAGE ON SCHEMA ledger TO corpus_ledger_default_privileges_reader, corpus_ledger_default_privileges_writer;
