CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL);
CREATE VIEW v AS SELECT id FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t;
CREATE TABLE by_kind (id int, kind text) PARTITION BY LIST (kind);
CREATE TABLE by_id (id int, at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE m (id int, at timestamptz NOT NULL) PARTITION BY RANGE (at);
