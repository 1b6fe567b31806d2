-- ALTER DATABASE ... SET.
-- expect: ok
ALTER DATABASE syntax_corpus_db SET search_path TO app, public;
