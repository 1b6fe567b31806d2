CREATE VIEW v AS
  SELECT id FROM no_such_table;
