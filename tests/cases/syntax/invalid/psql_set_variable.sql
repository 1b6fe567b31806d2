-- psql variables: :'name' is not SQL.
-- expect: error 4:1
-- server: 42601 syntax error at or near "\"
\set owner app
CREATE SCHEMA s AUTHORIZATION :owner;
