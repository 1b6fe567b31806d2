-- CALL a procedure.
-- expect: ok
CALL bump(1);
