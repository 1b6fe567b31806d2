CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok');
CREATE TABLE app.diary (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mood app.mood
);
CREATE SEQUENCE app.page_no;
CREATE VIEW app.diary_view AS SELECT id FROM app.diary;
CREATE FUNCTION app.entries() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM app.diary $$;
