-- system_user became a reserved keyword in PostgreSQL 16: PostgreSQL 15 accepts it as a column
-- name, 18 does not.
-- expect: error 6:21
-- server: 42601 syntax error at or near "system_user"
-- pg15: ok
CREATE TABLE audit (system_user text);
