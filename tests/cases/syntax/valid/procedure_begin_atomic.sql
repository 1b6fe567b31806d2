-- A procedure with a BEGIN ATOMIC body of several statements.
-- expect: ok
CREATE PROCEDURE bump(n int)
LANGUAGE sql
BEGIN ATOMIC
  UPDATE counters SET value = value + n WHERE name = 'a';
  INSERT INTO audit_log (what) VALUES ('bump');
END;
