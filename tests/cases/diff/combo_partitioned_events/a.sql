CREATE TABLE event (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    payload jsonb
) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX event_kind_idx ON event (kind);
CREATE FUNCTION event_check() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN IF NEW.kind = '' THEN RAISE EXCEPTION 'empty kind'; END IF; RETURN NEW; END $$;
CREATE TRIGGER event_check BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_check();
