CREATE TABLE tick (
    id bigint NOT NULL,
    day date NOT NULL,
    seen_at timestamptz
) PARTITION BY RANGE (day);
CREATE TABLE tick_2024 PARTITION OF tick FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION stamp() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.seen_at := now(); RETURN NEW; END $$;
