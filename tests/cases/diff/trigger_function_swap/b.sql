CREATE TABLE page (
    id integer PRIMARY KEY,
    status text,
    updated_at timestamptz
);
CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE FUNCTION touch_utc() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER page_touch BEFORE UPDATE ON page FOR EACH ROW EXECUTE FUNCTION touch_utc();
