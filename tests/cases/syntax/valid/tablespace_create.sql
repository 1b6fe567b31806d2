-- CREATE TABLESPACE (refused inside a transaction block).
-- expect: ok
CREATE TABLESPACE syntax_corpus_ts OWNER CURRENT_USER LOCATION '/nonexistent/syntax_corpus' WITH (random_page_cost = 1.1);
