-- DROP DATABASE ... WITH (FORCE) (refused inside a transaction block).
-- expect: ok
DROP DATABASE IF EXISTS syntax_corpus_db WITH (FORCE);
