-- The first statement is fine, the second is not: the position is in file coordinates.
-- expect: error 6:24
-- server: 42601 syntax error at or near "REFERENCS"
CREATE TABLE a (id int);

CREATE TABLE b (id int REFERENCS a (id));
