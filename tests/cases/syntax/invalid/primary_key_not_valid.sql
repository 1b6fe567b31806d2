-- A NOT VALID primary key: the grammar refuses with 0A000 (PostgreSQL 15 gives no position).
-- expect: error 5:40
-- server: 0A000 PRIMARY KEY constraints cannot be marked NOT VALID
-- pg15: error - 0A000 PRIMARY KEY constraints cannot be marked NOT VALID
CREATE TABLE t (a int, PRIMARY KEY (a) NOT VALID);
