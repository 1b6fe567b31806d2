-- A trailing comma in an enum label list.
-- expect: error 4:39
-- server: 42601 syntax error at or near ")"
CREATE TYPE mood AS ENUM ('sad', 'ok',);
