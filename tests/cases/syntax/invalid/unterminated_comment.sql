-- An unterminated block comment: the nested one is closed, the outer one is not.
-- expect: error 5:1
-- server: 42601 unterminated /* comment at or near "/* outer /* inner */ still open
CREATE TABLE t (id int);
/* outer /* inner */ still open
CREATE TABLE u (id int);
