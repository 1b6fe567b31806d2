-- TO without a role.
-- expect: error 4:36
-- server: 42601 syntax error at or near "USING"
CREATE POLICY p ON t FOR SELECT TO USING (true);
