-- Two ORDER BY clauses: the grammar's own message, at the second one's sort key.
-- expect: error 4:54
-- server: 42601 multiple ORDER BY clauses not allowed
CREATE VIEW v AS (SELECT 1 AS a ORDER BY 1) ORDER BY 1;
