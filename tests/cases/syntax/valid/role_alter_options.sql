-- ALTER ROLE options.
-- expect: ok
ALTER ROLE syntax_corpus_role WITH NOBYPASSRLS CONNECTION LIMIT -1;
