-- EXECUTE FUNCTION without a function.
-- expect: error 4:59
-- server: 42601 syntax error at or near ";"
CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION;
