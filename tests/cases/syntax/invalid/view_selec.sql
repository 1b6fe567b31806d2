-- A misspelled SELECT in a view.
-- expect: error 5:3
-- server: 42601 syntax error at or near "SELEC"
CREATE VIEW v AS
  SELEC id FROM t;
