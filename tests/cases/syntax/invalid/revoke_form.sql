-- REVOKE ... FORM.
-- expect: error 4:20
-- server: 42601 syntax error at or near "FORM"
REVOKE SELECT ON t FORM r;
