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
