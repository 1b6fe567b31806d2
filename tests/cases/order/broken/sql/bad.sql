CREATE TABLE fine (id int);

CREATE TABLE broken (
  id int,
  name text NOT NULL oops here,
  x int
);
