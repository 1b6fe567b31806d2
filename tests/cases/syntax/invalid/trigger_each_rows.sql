-- FOR EACH ROWS.
-- expect: error 4:47
-- server: 42601 syntax error at or near "ROWS"
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROWS EXECUTE FUNCTION f();
