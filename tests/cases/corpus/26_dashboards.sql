-- Dashboards: materialized views (one WITH NO DATA, one on another), their indexes,
-- storage options and CLUSTER ON, a view on top, a viewer role with grants.

DO $$
BEGIN
  CREATE ROLE corpus_dashboards_viewer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA reporting;

CREATE TABLE reporting.page_views (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path text NOT NULL,
  viewed_at timestamptz NOT NULL,
  user_id bigint
);

CREATE MATERIALIZED VIEW reporting.daily_views AS
  SELECT date_trunc('day', v.viewed_at) AS day, v.path, count(*) AS views
  FROM reporting.page_views AS v
  GROUP BY 1, 2
WITH DATA;

CREATE UNIQUE INDEX daily_views_day_path_idx ON reporting.daily_views (day, path);

ALTER MATERIALIZED VIEW reporting.daily_views CLUSTER ON daily_views_day_path_idx;

CREATE MATERIALIZED VIEW reporting.top_paths AS
  SELECT d.path, sum(d.views) AS views
  FROM reporting.daily_views AS d
  GROUP BY d.path
WITH NO DATA;

CREATE INDEX top_paths_views_idx ON reporting.top_paths (views DESC);

ALTER MATERIALIZED VIEW reporting.top_paths SET (autovacuum_enabled = false);

CREATE VIEW reporting.recent_daily AS
  SELECT d.day, d.path, d.views
  FROM reporting.daily_views AS d
  WHERE d.day > now() - interval '30 days';

GRANT USAGE ON SCHEMA reporting TO corpus_dashboards_viewer;

GRANT SELECT ON reporting.daily_views, reporting.top_paths, reporting.recent_daily TO corpus_dashboards_viewer;

COMMENT ON MATERIALIZED VIEW reporting.daily_views IS 'Refreshed every hour.';
