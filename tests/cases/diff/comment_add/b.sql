CREATE SCHEMA app;
CREATE TYPE app.kind AS ENUM ('a', 'b');
CREATE DOMAIN app.percent AS integer CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE SEQUENCE app.counter;
CREATE TABLE app.thing (
    id integer CONSTRAINT thing_pkey PRIMARY KEY,
    kind app.kind,
    share app.percent
);
CREATE INDEX thing_kind_idx ON app.thing (kind);
CREATE VIEW app.thing_view AS SELECT id, kind FROM app.thing;
CREATE MATERIALIZED VIEW app.thing_count AS SELECT count(*) AS n FROM app.thing;
CREATE FUNCTION app.noop_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER thing_noop BEFORE INSERT ON app.thing
    FOR EACH ROW EXECUTE FUNCTION app.noop_trigger();
ALTER TABLE app.thing ENABLE ROW LEVEL SECURITY;
CREATE POLICY thing_all ON app.thing USING (true);

COMMENT ON SCHEMA app IS 'the application';
COMMENT ON TYPE app.kind IS 'kinds of things';
COMMENT ON DOMAIN app.percent IS 'a percentage';
COMMENT ON CONSTRAINT percent_range ON DOMAIN app.percent IS '0 to 100';
COMMENT ON SEQUENCE app.counter IS 'counts';
COMMENT ON TABLE app.thing IS 'things';
COMMENT ON COLUMN app.thing.kind IS 'what it is';
COMMENT ON CONSTRAINT thing_pkey ON app.thing IS 'identity';
COMMENT ON INDEX app.thing_kind_idx IS 'by kind';
COMMENT ON VIEW app.thing_view IS 'a view';
COMMENT ON COLUMN app.thing_view.kind IS 'a view column';
COMMENT ON MATERIALIZED VIEW app.thing_count IS 'how many';
COMMENT ON FUNCTION app.noop_trigger() IS 'does nothing';
COMMENT ON TRIGGER thing_noop ON app.thing IS 'fires';
COMMENT ON POLICY thing_all ON app.thing IS 'everything';
