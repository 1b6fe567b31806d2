CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application objects';
CREATE TYPE app.status AS ENUM ('new', 'done');
CREATE TABLE app.item (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status app.status NOT NULL DEFAULT 'new',
    title text NOT NULL
);
CREATE INDEX item_status_idx ON app.item (status);
CREATE VIEW app.open_item AS SELECT id, title FROM app.item WHERE status = 'new';
CREATE FUNCTION app.item_count() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM app.item $$;
