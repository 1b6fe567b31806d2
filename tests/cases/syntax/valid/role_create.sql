-- CREATE ROLE with options.
-- expect: ok
CREATE ROLE syntax_corpus_role NOLOGIN NOINHERIT BYPASSRLS CONNECTION LIMIT 5 VALID UNTIL 'infinity' IN ROLE pg_read_all_data;
