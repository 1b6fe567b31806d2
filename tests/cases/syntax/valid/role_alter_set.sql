-- ALTER ROLE ... IN DATABASE ... SET.
-- expect: ok
ALTER ROLE syntax_corpus_role IN DATABASE appdb SET search_path = app, public;
