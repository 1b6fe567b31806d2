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

ALTER SCHEMA app OWNER TO diffcase_writer;
ALTER TYPE app.mood OWNER TO diffcase_writer;
ALTER TABLE app.diary OWNER TO diffcase_writer;
ALTER SEQUENCE app.page_no OWNER TO diffcase_writer;
ALTER VIEW app.diary_view OWNER TO diffcase_writer;
ALTER FUNCTION app.entries() OWNER TO diffcase_writer;
