-- Metrics: a range-partitioned table with monthly partitions, a default partition, an
-- attached partition, an index and a trigger on the partitioned table.

CREATE TABLE metrics (
  device_id integer NOT NULL,
  taken_at timestamptz NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (device_id, taken_at)
) PARTITION BY RANGE (taken_at);

CREATE TABLE metrics_2025_01 PARTITION OF metrics
  FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2025-02-01 00:00+00');

CREATE TABLE metrics_2025_02 PARTITION OF metrics
  FOR VALUES FROM ('2025-02-01 00:00+00') TO ('2025-03-01 00:00+00');

CREATE TABLE metrics_default PARTITION OF metrics DEFAULT;

CREATE TABLE metrics_2025_03 (
  device_id integer NOT NULL,
  taken_at timestamptz NOT NULL,
  value double precision NOT NULL
);

ALTER TABLE metrics ATTACH PARTITION metrics_2025_03
  FOR VALUES FROM ('2025-03-01 00:00+00') TO ('2025-04-01 00:00+00');

CREATE INDEX metrics_taken_at_idx ON metrics (taken_at);

CREATE FUNCTION metrics_reject_future() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.taken_at > now() + interval '1 day' THEN
    RAISE EXCEPTION 'metric from the future: %', NEW.taken_at;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER metrics_reject_future BEFORE INSERT ON metrics
  FOR EACH ROW EXECUTE FUNCTION metrics_reject_future();

COMMENT ON TABLE metrics_default IS 'Rows outside every monthly partition land here.';
