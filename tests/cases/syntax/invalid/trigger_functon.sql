-- EXECUTE FUNCTON.
-- expect: error 4:59
-- server: 42601 syntax error at or near "FUNCTON"
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTON f();
