CREATE TABLE a (
  id int PRIMARY KEY,
  name text NOT NULL
);
CREATE INDEX a_name_idx ON a (name
