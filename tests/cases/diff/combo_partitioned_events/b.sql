CREATE TABLE event (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    source text NOT NULL DEFAULT 'api',
    payload jsonb,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_default PARTITION OF event DEFAULT;
CREATE INDEX event_kind_idx ON event (kind, source);
CREATE INDEX event_payload_idx ON event USING gin (payload);
CREATE FUNCTION event_check() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN IF NEW.kind = '' THEN RAISE EXCEPTION 'empty kind'; END IF; RETURN NEW; END $$;
CREATE TRIGGER event_check BEFORE INSERT OR UPDATE ON event
    FOR EACH ROW EXECUTE FUNCTION event_check();
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_recent ON event FOR SELECT USING (at >= DATE '2024-01-01');
COMMENT ON TABLE event IS 'partitioned by year';
