-- REASSIGN OWNED (of a role that does not exist: harmless).
-- expect: ok
REASSIGN OWNED BY syntax_corpus_nobody TO CURRENT_USER;
