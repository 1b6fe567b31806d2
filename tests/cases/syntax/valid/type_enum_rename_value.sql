-- ALTER TYPE ... RENAME VALUE.
-- expect: ok
ALTER TYPE mood RENAME VALUE 'meh' TO 'so-so';
