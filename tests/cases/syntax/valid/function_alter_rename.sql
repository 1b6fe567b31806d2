-- ALTER FUNCTION ... RENAME TO.
-- expect: ok
ALTER FUNCTION add(integer, integer) RENAME TO add_ints;
