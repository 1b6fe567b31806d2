-- Statistics helpers: aggregates with SFUNC/FINALFUNC/COMBINEFUNC over a composite state,
-- a moving-aggregate variant with an inverse function, and a view that uses them.

CREATE SCHEMA stats;

CREATE TYPE stats.mean_state AS (total numeric, n bigint);

CREATE FUNCTION stats.mean_step(s stats.mean_state, v numeric) RETURNS stats.mean_state
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT ROW(s.total + coalesce(v, 0), s.n + CASE WHEN v IS NULL THEN 0 ELSE 1 END)::stats.mean_state
  $$;

CREATE FUNCTION stats.mean_combine(a stats.mean_state, b stats.mean_state) RETURNS stats.mean_state
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT ROW(a.total + b.total, a.n + b.n)::stats.mean_state $$;

CREATE FUNCTION stats.mean_final(s stats.mean_state) RETURNS numeric
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN s.n = 0 THEN NULL ELSE s.total / s.n END $$;

CREATE AGGREGATE stats.mean(numeric) (
  SFUNC = stats.mean_step,
  STYPE = stats.mean_state,
  FINALFUNC = stats.mean_final,
  COMBINEFUNC = stats.mean_combine,
  INITCOND = '(0,0)',
  PARALLEL = SAFE
);

CREATE AGGREGATE stats.running_total(numeric) (
  SFUNC = numeric_add,
  STYPE = numeric,
  INITCOND = '0',
  MSFUNC = numeric_add,
  MINVFUNC = numeric_sub,
  MSTYPE = numeric,
  MINITCOND = '0'
);

CREATE TABLE stats.samples (
  series text NOT NULL,
  taken_at timestamptz NOT NULL,
  value numeric NOT NULL,
  PRIMARY KEY (series, taken_at)
);

CREATE VIEW stats.series_summary AS
  SELECT s.series, stats.mean(s.value) AS mean, count(*) AS n
  FROM stats.samples AS s
  GROUP BY s.series;

CREATE VIEW stats.running AS
  SELECT s.series, s.taken_at,
         stats.running_total(s.value) OVER (PARTITION BY s.series ORDER BY s.taken_at
                                            ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS last10
  FROM stats.samples AS s;

COMMENT ON AGGREGATE stats.mean(numeric) IS 'Parallel-safe mean.';
