CREATE TYPE stage AS ENUM ('lead', 'customer', 'churned');
CREATE TABLE account (
    id integer PRIMARY KEY,
    stage stage NOT NULL DEFAULT 'lead'
);
CREATE INDEX account_stage_idx ON account (stage);
CREATE VIEW paying AS SELECT id FROM account WHERE stage = 'customer';
CREATE FUNCTION is_active(s stage) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT s = 'customer' $$;
