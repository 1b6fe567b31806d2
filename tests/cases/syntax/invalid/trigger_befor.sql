-- BEFOR INSERT.
-- expect: error 4:19
-- server: 42601 syntax error at or near "BEFOR"
CREATE TRIGGER tr BEFOR INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
