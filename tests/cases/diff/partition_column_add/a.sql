CREATE TABLE log (
    id bigint NOT NULL,
    day date NOT NULL,
    message text
) PARTITION BY RANGE (day);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
