CREATE TABLE page (
    id integer PRIMARY KEY,
    status text,
    updated_at timestamptz
);
CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE TRIGGER page_status_touch BEFORE UPDATE ON page
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION touch();
