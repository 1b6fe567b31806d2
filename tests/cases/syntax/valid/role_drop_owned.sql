-- DROP OWNED BY (of a role that does not exist: harmless).
-- expect: ok
DROP OWNED BY syntax_corpus_nobody CASCADE;
