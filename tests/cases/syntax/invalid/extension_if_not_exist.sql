-- IF NOT EXIST.
-- expect: error 4:25
-- server: 42601 syntax error at or near "EXIST"
CREATE EXTENSION IF NOT EXIST pgcrypto;
