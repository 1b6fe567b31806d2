CREATE TABLE t (
  id int,
  x no_such_type
);
