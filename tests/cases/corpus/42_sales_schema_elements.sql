-- Sales and support modules: CREATE SCHEMA ... AUTHORIZATION with schema elements (tables,
-- an index, a view, a grant inside the statement), cross-schema foreign keys.

DO $$
BEGIN
  CREATE ROLE corpus_sales_schema_elements_owner NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA sales AUTHORIZATION corpus_sales_schema_elements_owner
  CREATE TABLE regions (
    code text PRIMARY KEY,
    name text NOT NULL
  )
  CREATE TABLE reps (
    id integer PRIMARY KEY,
    name text NOT NULL,
    region text REFERENCES regions
  )
  CREATE INDEX reps_region_idx ON reps (region)
  CREATE VIEW rep_regions AS
    SELECT reps.name, regions.name AS region
    FROM reps JOIN regions ON regions.code = reps.region
  GRANT SELECT ON regions TO PUBLIC;

CREATE SCHEMA support;

CREATE TABLE support.cases (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rep_id integer REFERENCES sales.reps (id),
  region text REFERENCES sales.regions (code),
  opened_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX cases_rep_id_idx ON support.cases (rep_id);

CREATE VIEW support.cases_by_region AS
  SELECT r.name, count(c.id) AS cases
  FROM sales.regions AS r
  LEFT JOIN support.cases AS c ON c.region = r.code
  GROUP BY r.name;

CREATE SCHEMA IF NOT EXISTS support_archive;

CREATE TABLE support_archive.cases (LIKE support.cases);

GRANT USAGE ON SCHEMA sales, support TO PUBLIC;

COMMENT ON SCHEMA sales IS 'Owned by the sales team.';
