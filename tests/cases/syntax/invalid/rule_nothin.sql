-- DO INSTEAD NOTHIN.
-- expect: error 4:44
-- server: 42601 syntax error at or near "NOTHIN"
CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHIN;
