CREATE TABLE tenant_event (
    tenant_id integer NOT NULL,
    day date NOT NULL,
    payload jsonb
) PARTITION BY RANGE (day);
CREATE TABLE tenant_event_2024 PARTITION OF tenant_event
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
