-- Partial index with INCLUDE, an expression, ordering, collation and storage parameters.
-- expect: ok
CREATE INDEX accounts_email_lower ON accounts USING btree (lower(email) COLLATE "C" text_pattern_ops DESC NULLS LAST, id) INCLUDE (balance) WITH (fillfactor = 80) WHERE status = 'active';
