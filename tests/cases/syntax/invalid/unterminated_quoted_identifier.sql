-- An unterminated quoted identifier.
-- expect: error 4:14
-- server: 42601 unterminated quoted identifier at or near ""weird (id int);"
CREATE TABLE "weird (id int);
