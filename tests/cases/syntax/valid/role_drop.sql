-- DROP ROLE.
-- expect: ok
DROP ROLE IF EXISTS syntax_corpus_role, syntax_corpus_user;
