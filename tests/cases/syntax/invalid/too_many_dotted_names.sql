-- A four-part table name: the grammar's own message.
-- expect: error 4:14
-- server: 42601 improper qualified name (too many dotted names): a.b.c.d
CREATE TABLE a.b.c.d (id int);
