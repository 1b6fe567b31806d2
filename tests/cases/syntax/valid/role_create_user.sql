-- CREATE USER with a password.
-- expect: ok
CREATE USER syntax_corpus_user WITH LOGIN PASSWORD 'secret' CREATEDB;
