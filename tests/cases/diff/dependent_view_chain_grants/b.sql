CREATE TABLE metric (
    id integer PRIMARY KEY,
    val bigint NOT NULL
);
CREATE VIEW metric_doubled AS SELECT id, val * 2 AS val2 FROM metric;
CREATE VIEW metric_big AS SELECT id, val2 FROM metric_doubled WHERE val2 > 100;
GRANT SELECT ON metric_doubled, metric_big TO diffcase_reader;
COMMENT ON VIEW metric_big IS 'big ones';
