CREATE TABLE b (
  id int DEFAUL 0
);
