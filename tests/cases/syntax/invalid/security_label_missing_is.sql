-- SECURITY LABEL without IS.
-- expect: error 4:27
-- server: 42601 syntax error at or near "'label'"
SECURITY LABEL ON TABLE t 'label';
