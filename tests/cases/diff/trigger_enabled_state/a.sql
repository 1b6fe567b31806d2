CREATE TABLE page (
    id integer PRIMARY KEY,
    status text,
    updated_at timestamptz
);
CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE TRIGGER page_touch_insert BEFORE INSERT ON page FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER page_touch_update BEFORE UPDATE ON page FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER page_touch_replica BEFORE UPDATE ON page FOR EACH ROW EXECUTE FUNCTION touch();
