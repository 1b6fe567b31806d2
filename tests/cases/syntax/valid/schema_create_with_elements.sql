-- CREATE SCHEMA with schema elements (a table, a view, a grant).
-- expect: ok
CREATE SCHEMA hr
  CREATE TABLE staff (id int PRIMARY KEY, name text)
  CREATE VIEW staff_names AS SELECT name FROM staff
  GRANT SELECT ON staff_names TO PUBLIC;
