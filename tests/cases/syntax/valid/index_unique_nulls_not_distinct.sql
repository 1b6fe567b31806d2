-- Unique index with NULLS NOT DISTINCT (issue 10).
-- expect: ok
CREATE UNIQUE INDEX IF NOT EXISTS contacts_email_key ON contacts (email) NULLS NOT DISTINCT;
