CREATE TABLE metric (
    name text NOT NULL,
    day date NOT NULL
) PARTITION BY RANGE (day);
CREATE TABLE metric_h1 PARTITION OF metric FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE metric_h2 PARTITION OF metric FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
CREATE INDEX metric_h1_name_idx ON metric_h1 (name);
CREATE INDEX metric_h2_name_idx ON metric_h2 (name);
