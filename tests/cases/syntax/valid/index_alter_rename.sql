-- ALTER INDEX IF EXISTS ... RENAME TO.
-- expect: ok
ALTER INDEX IF EXISTS accounts_email_lower RENAME TO accounts_email_ci;
