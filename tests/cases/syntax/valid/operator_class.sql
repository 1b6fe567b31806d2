-- CREATE OPERATOR CLASS.
-- expect: ok
CREATE OPERATOR CLASS int_ops_custom DEFAULT FOR TYPE int USING btree FAMILY int_fam AS OPERATOR 1 <, OPERATOR 3 = (int, int), FUNCTION 1 btint4cmp(int, int), STORAGE int;
