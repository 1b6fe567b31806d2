-- ALTER OPERATOR FAMILY ... ADD an operator and a function.
-- expect: ok
ALTER OPERATOR FAMILY int_fam USING btree ADD OPERATOR 2 <= (int, int), FUNCTION 1 (int, int) btint4cmp(int, int);
