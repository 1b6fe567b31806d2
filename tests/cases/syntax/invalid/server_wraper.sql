-- FOREIGN DATA WRAPER.
-- expect: error 4:30
-- server: 42601 syntax error at or near "WRAPER"
CREATE SERVER s FOREIGN DATA WRAPER w;
