-- CREATE forms not covered elsewhere: text search configuration, template and parser, a domain
-- over an array, OR REPLACE aggregate, procedure and transform, schema by AUTHORIZATION, group,
-- unnamed index, VALUES view, temporary view, a table without columns.
-- expect: ok
CREATE TEXT SEARCH CONFIGURATION my_english (COPY = pg_catalog.english);
CREATE TEXT SEARCH TEMPLATE my_template (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH PARSER my_parser (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
CREATE DOMAIN int_list AS int[] CHECK (array_length(VALUE, 1) < 10);
CREATE OR REPLACE AGGREGATE sum3 (int) (SFUNC = int4pl, STYPE = int);
CREATE OR REPLACE PROCEDURE noop () LANGUAGE sql AS $$ SELECT 1 $$;
CREATE OR REPLACE TRANSFORM FOR hstore LANGUAGE plperl (FROM SQL WITH FUNCTION hstore_to_plperl (internal), TO SQL WITH FUNCTION plperl_to_hstore (internal));
CREATE OPERATOR CLASS gist_custom FOR TYPE int USING gist AS OPERATOR 1 <, FUNCTION 1 btint4cmp (int, int);
CREATE SCHEMA AUTHORIZATION app_owner;
CREATE GROUP syntax_corpus_group WITH ROLE syntax_corpus_member;
CREATE USER MAPPING FOR PUBLIC SERVER remote_srv;
CREATE FOREIGN TABLE IF NOT EXISTS inherited_remote () INHERITS (accounts) SERVER remote_srv;
CREATE INDEX ON accounts (email);
CREATE UNIQUE INDEX accounts_lower_email ON accounts ((lower(email))) WHERE email IS NOT NULL;
CREATE VIEW v_values (a, b) AS VALUES (1, 'x'), (2, 'y');
CREATE TEMP VIEW v_temp AS SELECT 1 AS one;
CREATE TABLE IF NOT EXISTS t_empty ();
CREATE SEQUENCE seq_minimal;
