-- INCREMENT BY a string.
-- expect: error 4:32
-- server: 42601 syntax error at or near "'x'"
CREATE SEQUENCE s INCREMENT BY 'x';
