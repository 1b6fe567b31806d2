CREATE TABLE log (
    id bigint NOT NULL,
    day date NOT NULL,
    message text,
    level smallint NOT NULL DEFAULT 0 CONSTRAINT log_level_check CHECK (level BETWEEN 0 AND 7)
) PARTITION BY RANGE (day);
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
