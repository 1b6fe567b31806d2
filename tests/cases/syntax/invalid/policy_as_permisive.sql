-- AS PERMISIVE: the grammar's own message (unrecognized row security option).
-- expect: error 4:25
-- server: 42601 unrecognized row security option "permisive"
CREATE POLICY p ON t AS PERMISIVE FOR SELECT USING (true);
