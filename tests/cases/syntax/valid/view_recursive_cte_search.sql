-- WITH RECURSIVE with SEARCH and CYCLE clauses (PostgreSQL 14).
-- expect: ok
CREATE VIEW tree AS WITH RECURSIVE t (id, parent) AS (SELECT id, parent FROM nodes WHERE parent IS NULL UNION ALL SELECT n.id, n.parent FROM nodes n JOIN t ON n.parent = t.id) SEARCH DEPTH FIRST BY id SET ord CYCLE id SET is_cycle USING path SELECT * FROM t;
