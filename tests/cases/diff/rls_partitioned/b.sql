CREATE TABLE tenant_event (
    tenant_id integer NOT NULL,
    day date NOT NULL,
    payload jsonb
) PARTITION BY RANGE (day);
CREATE TABLE tenant_event_2024 PARTITION OF tenant_event
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE tenant_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_event_isolation ON tenant_event
    USING (tenant_id = current_setting('app.tenant_id', true)::integer);
