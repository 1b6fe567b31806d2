CREATE TABLE t (
  id int,
  status no_such_type
);
