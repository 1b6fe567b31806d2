-- An unfinished operator definition: error at the end of input.
-- expect: error 4:51
-- server: 42601 syntax error at end of input
CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int
