-- CREATE DATABASE with options (refused inside a transaction block).
-- expect: ok
CREATE DATABASE syntax_corpus_db WITH OWNER = app_owner TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc CONNECTION LIMIT = 5 IS_TEMPLATE = false;
