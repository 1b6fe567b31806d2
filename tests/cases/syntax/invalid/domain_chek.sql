-- CHEK in a domain.
-- expect: error 4:24
-- server: 42601 syntax error at or near "CHEK"
CREATE DOMAIN d AS int CHEK (VALUE > 0);
