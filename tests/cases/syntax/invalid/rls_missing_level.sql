-- ENABLE ROW SECURITY (LEVEL missing).
-- expect: error 4:26
-- server: 42601 syntax error at or near "SECURITY"
ALTER TABLE t ENABLE ROW SECURITY;
